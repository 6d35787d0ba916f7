// The channel document model over one Y.Doc (docs/protocol/client.md §Channel document): every
// entry is keyed by its author's device id, so an author only ever writes its own entries and
// the ownership validation (client/sync/update-validator.ts) holds for every feature.

import * as Y from 'yjs'
import { toHex } from '../../crypto/codec/bytes.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import {
  asChatMessage,
  asReactionSet,
  asReceipt,
  type ChatMessage,
  compareMessages,
  type DeliveryState,
  MAX_EMOJI_LENGTH,
  MAX_TEXT_LENGTH,
  type MessageValue,
  type MessageView,
  ownerOf,
} from './chat-message.ts'

export class ChannelDocument {
  private maxHlc = 0

  constructor(
    readonly doc: Y.Doc,
    private readonly me: string,
    private readonly now: () => number,
    private readonly random: RandomSource,
  ) {
    // The clock's high-water mark follows every change, local or remote, in O(changes).
    this.messagesMap.observe((event) => {
      for (const key of event.keysChanged) {
        const m = asChatMessage(key, this.messagesMap.get(key))
        if (m && m.hlc > this.maxHlc) this.maxHlc = m.hlc
      }
    })
    this.messagesMap.forEach((value, key) => {
      const m = asChatMessage(key, value)
      if (m && m.hlc > this.maxHlc) this.maxHlc = m.hlc
    })
  }

  private get messagesMap(): Y.Map<unknown> {
    return this.doc.getMap('messages')
  }

  /** Hybrid logical clock tick: never below the wall clock, always above anything seen. */
  private tick(): number {
    this.maxHlc = Math.max(this.now(), this.maxHlc + 1)
    return this.maxHlc
  }

  post(text: string, opts: { threadOf?: string } = {}): string {
    if (text.length > MAX_TEXT_LENGTH) throw new RangeError('message too long')
    const id = `${this.me}:${toHex(this.random(12))}`
    const value: MessageValue = { text, sentAt: this.now(), hlc: this.tick() }
    if (opts.threadOf) value.threadOf = opts.threadOf
    this.messagesMap.set(id, value)
    return id
  }

  /** Edits one of our own messages (an overwrite of our own entry). */
  edit(id: string, text: string): void {
    const current = this.ownValue(id)
    if (text.length > MAX_TEXT_LENGTH) throw new RangeError('message too long')
    this.messagesMap.set(id, { ...current, text, editedAt: this.now() })
  }

  /** Our own message becomes a tombstone; an admin may delete anyone's entry (moderation). */
  remove(id: string, moderate = false): void {
    if (ownerOf(id) === this.me) {
      const { threadOf, sentAt, hlc } = this.ownValue(id)
      const tomb: MessageValue = { text: '', sentAt, hlc, deleted: true }
      if (threadOf) tomb.threadOf = threadOf
      this.messagesMap.set(id, tomb)
    } else if (moderate) {
      this.messagesMap.delete(id)
    } else {
      throw new RangeError('not your message')
    }
  }

  react(id: string, emoji: string, on: boolean): void {
    if (emoji.length === 0 || emoji.length > MAX_EMOJI_LENGTH) throw new RangeError('bad emoji')
    const key = `${this.me}:${id}`
    const reactions = this.doc.getMap('reactions')
    const current = asReactionSet(reactions.get(key))
    const next = on ? [...new Set([...current, emoji])] : current.filter((e) => e !== emoji)
    if (next.length !== current.length) reactions.set(key, next)
  }

  /** Our receipt watermarks (hlc delivered up to / read up to); only ever moves forward. */
  acknowledge(kind: 'delivered' | 'read', hlc: number): void {
    const key = `${this.me}:`
    const receipts = this.doc.getMap('receipts')
    const cur = asReceipt(receipts.get(key))
    const next = { ...cur, [kind]: Math.max(cur[kind], hlc) }
    if (kind === 'read') next.delivered = Math.max(next.delivered, hlc)
    if (next.delivered !== cur.delivered || next.read !== cur.read) receipts.set(key, next)
  }

  private ownValue(id: string): MessageValue {
    const m = asChatMessage(id, this.messagesMap.get(id))
    if (!m || m.author !== this.me) throw new RangeError('not your message')
    const v = this.messagesMap.get(id) as MessageValue
    return v
  }

  allMessages(): ChatMessage[] {
    const out: ChatMessage[] = []
    this.messagesMap.forEach((value, id) => {
      const m = asChatMessage(id, value)
      if (m) out.push(m)
    })
    return out.sort(compareMessages)
  }

  /** Top-level messages (thread replies are counted, not listed), in display order. */
  views(local: (m: ChatMessage) => DeliveryState): MessageView[] {
    return this.viewsWhere((m) => m.threadOf === undefined, local)
  }

  thread(id: string, local: (m: ChatMessage) => DeliveryState): MessageView[] {
    return this.viewsWhere((m) => m.threadOf === id, local)
  }

  private viewsWhere(
    keep: (m: ChatMessage) => boolean,
    local: (m: ChatMessage) => DeliveryState,
  ): MessageView[] {
    const all = this.allMessages()
    const replies = new Map<string, number>()
    for (const m of all) {
      if (m.threadOf && !m.deleted) replies.set(m.threadOf, (replies.get(m.threadOf) ?? 0) + 1)
    }
    const reactions = new Map<string, Map<string, { count: number; mine: boolean }>>()
    this.doc.getMap('reactions').forEach((value, key) => {
      const author = ownerOf(key)
      if (!author) return
      const target = key.slice(33)
      let byEmoji = reactions.get(target)
      if (!byEmoji) reactions.set(target, byEmoji = new Map())
      for (const emoji of asReactionSet(value)) {
        const r = byEmoji.get(emoji) ?? { count: 0, mine: false }
        r.count++
        if (author === this.me) r.mine = true
        byEmoji.set(emoji, r)
      }
    })
    let delivered = 0
    let read = 0
    this.doc.getMap('receipts').forEach((value, key) => {
      const author = ownerOf(key)
      if (!author || author === this.me) return
      const r = asReceipt(value)
      delivered = Math.max(delivered, r.delivered)
      read = Math.max(read, r.read)
    })
    return all.filter(keep).map((m) => {
      let delivery: DeliveryState = m.author === this.me ? local(m) : 'delivered'
      // A receipt from another device proves the message left this one, even if no link was up
      // when it was posted (it went out later, through reconciliation).
      if (m.author === this.me) {
        if (read >= m.hlc) delivery = 'read'
        else if (delivered >= m.hlc) delivery = 'delivered'
      }
      return {
        ...m,
        reactions: [...(reactions.get(m.id) ?? new Map()).entries()]
          .map(([emoji, r]) => ({ emoji, ...r }))
          .sort((a, b) => (a.emoji < b.emoji ? -1 : 1)),
        replies: replies.get(m.id) ?? 0,
        delivery,
      }
    })
  }
}
