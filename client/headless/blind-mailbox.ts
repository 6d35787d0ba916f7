// The always-on peer's blind mailbox: ciphertext envelopes (per channel, per author, per seq) and
// pairwise frames addressed to devices that are away, bounded by total bytes and by age since
// receipt, oldest evicted first. It holds no key and never decrypts; pure, with time passed in.

import { fromHex, toHex } from '../../crypto/codec/bytes.ts'
import type { DecodedEnvelope } from '../sync/envelope.ts'

export interface MailboxLimits {
  /** Total bytes held (envelopes + direct frames); the oldest go first past it. */
  maxBytes: number
  /** Anything held longer than this (since it arrived here) is dropped. */
  maxAgeMs: number
  /** Direct (pairwise) frames held per absent device. */
  maxDirectPerDevice: number
}

export const DEFAULT_MAILBOX_LIMITS: MailboxLimits = {
  maxBytes: 256 << 20,
  maxAgeMs: 14 * 24 * 60 * 60 * 1000,
  maxDirectPerDevice: 1000,
}

export interface MailboxMetrics {
  envelopesHeld: number
  directHeld: number
  bytesHeld: number
  channels: number
  stored: number
  duplicates: number
  evictedByAge: number
  evictedBySize: number
  directDropped: number
  served: number
  directDelivered: number
}

interface Held {
  key: string
  bytes: Uint8Array
  at: number
  kind: 'envelope' | 'direct'
}

/** One held item, as a journal sees it (kind, the device a direct frame waits for, bytes). */
export interface HeldItem {
  kind: 'envelope' | 'direct'
  /** Hex device id of the addressee (direct frames only). */
  to: string | undefined
  bytes: Uint8Array
  at: number
}

interface AuthorLog {
  bySeq: Map<number, Held>
}

export class BlindMailbox {
  readonly metrics: MailboxMetrics = {
    envelopesHeld: 0,
    directHeld: 0,
    bytesHeld: 0,
    channels: 0,
    stored: 0,
    duplicates: 0,
    evictedByAge: 0,
    evictedBySize: 0,
    directDropped: 0,
    served: 0,
    directDelivered: 0,
  }
  /** channel hex -> author hex -> log */
  private readonly channels = new Map<string, Map<string, AuthorLog>>()
  /** device hex -> queued direct frames, oldest first */
  private readonly direct = new Map<string, Held[]>()
  /** Everything held, in arrival order (Map keeps insertion order): the eviction queue. */
  private readonly fifo = new Map<string, Held>()
  private nextDirect = 0
  /** Called for every newly held item (the journal makes it durable before it is acknowledged). */
  onHold: ((item: HeldItem) => void) | undefined

  constructor(readonly limits: MailboxLimits = DEFAULT_MAILBOX_LIMITS) {}

  /** Everything held, oldest first (what a compacted journal keeps). */
  *held(): Generator<HeldItem> {
    for (const h of this.fifo.values()) {
      yield {
        kind: h.kind,
        to: h.kind === 'direct' ? h.key.split('/')[1] : undefined,
        bytes: h.bytes,
        at: h.at,
      }
    }
  }

  /** Holds an (already verified) envelope; false if it was held already. */
  putEnvelope(e: DecodedEnvelope, now: number): boolean {
    const channel = toHex(e.envelope.channelId)
    const author = toHex(e.envelope.author)
    const seq = e.envelope.seq
    let authors = this.channels.get(channel)
    if (!authors) {
      this.channels.set(channel, authors = new Map())
      this.metrics.channels++
    }
    let log = authors.get(author)
    if (!log) authors.set(author, log = { bySeq: new Map() })
    if (log.bySeq.has(seq)) {
      this.metrics.duplicates++
      return false
    }
    const held: Held = {
      key: `e/${channel}/${author}/${seq}`,
      bytes: e.bytes,
      at: now,
      kind: 'envelope',
    }
    log.bySeq.set(seq, held)
    this.hold(held)
    this.metrics.envelopesHeld++
    this.metrics.stored++
    this.expire(now)
    return true
  }

  /** Per author, the highest seq such that 1..seq are all held (sync frame HAVE semantics). */
  haveVector(channelHex: string): { author: Uint8Array; seq: number }[] {
    const out: { author: Uint8Array; seq: number }[] = []
    for (const [author, log] of this.channels.get(channelHex) ?? []) {
      let seq = 0
      while (log.bySeq.has(seq + 1)) seq++
      if (seq > 0) out.push({ author: fromHex(author), seq })
    }
    return out
  }

  /** Every held envelope of the channel above what `have` lists, in (author, seq) order. */
  missing(channelHex: string, have: { author: Uint8Array; seq: number }[]): Uint8Array[] {
    const theirs = new Map(have.map((h) => [toHex(h.author), h.seq]))
    const out: Uint8Array[] = []
    for (const [author, log] of this.channels.get(channelHex) ?? []) {
      const known = theirs.get(author) ?? 0
      const seqs = [...log.bySeq.keys()].filter((s) => s > known).sort((a, b) => a - b)
      for (const s of seqs) out.push(log.bySeq.get(s)!.bytes)
    }
    this.metrics.served += out.length
    return out
  }

  /** Holds a pairwise frame for `deviceHex` until it comes back (or it ages out). */
  putDirect(deviceHex: string, frame: Uint8Array, now: number): void {
    let queue = this.direct.get(deviceHex)
    if (!queue) this.direct.set(deviceHex, queue = [])
    if (queue.length >= this.limits.maxDirectPerDevice) {
      this.metrics.directDropped++
      this.release(queue[0])
    }
    const held: Held = {
      key: `d/${deviceHex}/${this.nextDirect++}`,
      bytes: frame,
      at: now,
      kind: 'direct',
    }
    queue.push(held)
    this.hold(held)
    this.metrics.directHeld++
    this.expire(now)
  }

  /** Hands over (and forgets) the frames waiting for `deviceHex`, oldest first. */
  takeDirect(deviceHex: string): Uint8Array[] {
    const queue = this.direct.get(deviceHex) ?? []
    const out = queue.map((h) => h.bytes)
    for (const h of [...queue]) this.release(h)
    this.metrics.directDelivered += out.length
    return out
  }

  /** Drops what is too old, then the oldest until under the byte limit. */
  expire(now: number): void {
    for (const held of this.fifo.values()) {
      const tooOld = now - held.at > this.limits.maxAgeMs
      const tooBig = this.metrics.bytesHeld > this.limits.maxBytes
      if (!tooOld && !tooBig) break
      if (tooOld) this.metrics.evictedByAge++
      else this.metrics.evictedBySize++
      this.release(held)
    }
  }

  private hold(held: Held): void {
    this.fifo.set(held.key, held)
    this.metrics.bytesHeld += held.bytes.length
    this.onHold?.({
      kind: held.kind,
      to: held.kind === 'direct' ? held.key.split('/')[1] : undefined,
      bytes: held.bytes,
      at: held.at,
    })
  }

  private release(held: Held): void {
    if (!this.fifo.delete(held.key)) return
    this.metrics.bytesHeld -= held.bytes.length
    const [kind, owner, author, seq] = held.key.split('/')
    if (kind === 'e') {
      const authors = this.channels.get(owner)
      const log = authors?.get(author)
      log?.bySeq.delete(Number(seq))
      if (log && log.bySeq.size === 0) authors!.delete(author)
      if (authors && authors.size === 0) {
        this.channels.delete(owner)
        this.metrics.channels--
      }
      this.metrics.envelopesHeld--
    } else {
      const queue = this.direct.get(owner)
      const i = queue ? queue.indexOf(held) : -1
      if (i >= 0) queue!.splice(i, 1)
      if (queue && queue.length === 0) this.direct.delete(owner)
      this.metrics.directHeld--
    }
  }
}
