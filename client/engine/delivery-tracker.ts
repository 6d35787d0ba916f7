// How far our own messages got, as this device can tell: pending until their envelope left for a
// peer, sent once a peer held it, relayed once a non-member holder (a relay or mailbox) took it.
// Delivered and read come from the document's receipts, not from here.

import type { ChatMessage, DeliveryState } from './chat-message.ts'

export class DeliveryTracker {
  /** Message id -> the seq of our envelope that carried it (set once it is durable). */
  private readonly messageSeq = new Map<string, number>()
  /** Ids posted in the transaction whose update is being sealed. */
  private pendingIds: string[] = []
  private sentSeq = 0
  private relayedSeq = 0

  /** A message posted locally: its envelope is the next one sealed. */
  posted(id: string): void {
    this.pendingIds.push(id)
  }

  /** The ids the update being sealed carries (and forgets them). */
  takePending(): string[] {
    const ids = this.pendingIds
    this.pendingIds = []
    return ids
  }

  /** The envelope `seq` carrying `ids` is durable; `left` when a peer was handed it at once. */
  stored(ids: string[], seq: number, left: boolean): void {
    for (const id of ids) this.messageSeq.set(id, seq)
    if (left) this.sentSeq = Math.max(this.sentSeq, seq)
  }

  /** True once the message's envelope is durable in local storage (acknowledged). */
  durable(id: string): boolean {
    return this.messageSeq.has(id)
  }

  /** After a restart nothing is known to have left: reconciliation resends what peers lack. */
  restarted(): void {
    this.sentSeq = 0
  }

  /** Our envelopes up to `seq` left this device; true when that changed anything. */
  sent(seq: number): boolean {
    if (seq <= this.sentSeq) return false
    this.sentSeq = seq
    return true
  }

  /** A holder that is not a channel member (relay, mailbox) has our envelopes up to `seq`. */
  relayed(seq: number): boolean {
    if (seq <= this.relayedSeq) return false
    this.relayedSeq = seq
    return true
  }

  state(m: ChatMessage): DeliveryState {
    const seq = this.messageSeq.get(m.id)
    if (seq === undefined) return 'sent' // restored from storage: it was durable and announced
    if (seq > this.sentSeq) return 'pending'
    return seq <= this.relayedSeq ? 'relayed' : 'sent'
  }
}
