// A test device's sync side, reduced to what relay stories need: it holds the envelopes it made
// or received, speaks HELLO/HAVE/ENVELOPES like the engine (client/sync/frames.ts), and can open
// what it holds with the channel key. The authenticated links come from the real transports.

import { fromUtf8, toHex } from '../../../../crypto/codec/bytes.ts'
import { decodeEnvelope } from '../../../../client/sync/envelope.ts'
import {
  decodeFrame,
  encodeFrame,
  FRAME_ENVELOPES,
  FRAME_HAVE,
  FRAME_HELLO,
  type SyncFrame,
} from '../../../../client/sync/frames.ts'
import type { AuthenticatedLink } from '../../../../client/transport/link-auth.ts'
import type { LinkEvents, PeerLink } from '../../../../client/transport/peer-link.ts'
import { CHANNEL_ID, cipher } from './signed-envelope.ts'

export class EnvelopeHolder {
  /** author hex -> seq -> bytes */
  readonly held = new Map<string, Map<number, Uint8Array>>()
  readonly links = new Set<AuthenticatedLink>()
  /** HAVE vectors peers sent us (the mailbox's acknowledgements), newest last. */
  readonly haves: { from: string; have: Map<string, number> }[] = []
  readonly events: LinkEvents
  private waiters: (() => void)[] = []

  constructor(readonly deviceId: Uint8Array, readonly channelId: Uint8Array = CHANNEL_ID) {
    this.events = {
      up: (l) => {
        this.links.add(l as AuthenticatedLink)
        this.send(l, { type: FRAME_HELLO, device: deviceId, bundle: new Uint8Array(0) })
        this.send(l, { type: FRAME_HAVE, channelId: this.channelId, have: this.haveVector() })
        this.changed()
      },
      down: (l) => {
        this.links.delete(l as AuthenticatedLink)
        this.changed()
      },
      frame: (l, b) => this.frame(l, b),
    }
  }

  /** Holds our own new envelope and pushes it to every link (as the engine broadcasts). */
  post(envelope: Uint8Array): void {
    this.hold(envelope)
    for (const l of this.links) this.send(l, { type: FRAME_ENVELOPES, envelopes: [envelope] })
  }

  count(): number {
    let n = 0
    for (const m of this.held.values()) n += m.size
    return n
  }

  /** Decrypts everything held with the channel key, in (author, seq) order. */
  async texts(): Promise<string[]> {
    const out: string[] = []
    for (const log of this.held.values()) {
      for (const seq of [...log.keys()].sort((a, b) => a - b)) {
        const d = decodeEnvelope(log.get(seq)!)
        out.push(fromUtf8(await cipher().open(d.envelope.body, d.headerBytes)))
      }
    }
    return out
  }

  /** Resolves once `predicate()` holds (re-checked on every frame and link change). */
  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve) => {
      const check = () => {
        if (predicate()) resolve()
        else this.waiters.push(check)
      }
      this.waiters.push(check)
    })
  }

  private changed(): void {
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }

  private hold(bytes: Uint8Array): boolean {
    const { envelope } = decodeEnvelope(bytes)
    const author = toHex(envelope.author)
    let log = this.held.get(author)
    if (!log) this.held.set(author, log = new Map())
    if (log.has(envelope.seq)) return false
    log.set(envelope.seq, bytes)
    return true
  }

  private haveVector() {
    const out = []
    for (const [author, log] of this.held) {
      let seq = 0
      while (log.has(seq + 1)) seq++
      if (seq) out.push({ author: Uint8Array.from(Buffer.from(author, 'hex')), seq })
    }
    return out
  }

  private frame(link: PeerLink, bytes: Uint8Array): void {
    const frame = decodeFrame(bytes)
    if (frame.type === FRAME_ENVELOPES) {
      for (const e of frame.envelopes) this.hold(e)
    } else if (frame.type === FRAME_HAVE) {
      const have = new Map(frame.have.map((h) => [toHex(h.author), h.seq]))
      this.haves.push({ from: link.id, have })
      const missing: Uint8Array[] = []
      for (const [author, log] of this.held) {
        for (const [seq, e] of log) if (seq > (have.get(author) ?? 0)) missing.push(e)
      }
      if (missing.length) this.send(link, { type: FRAME_ENVELOPES, envelopes: missing })
    }
    this.changed()
  }

  private send(link: PeerLink, frame: SyncFrame): void {
    link.send(encodeFrame(frame))
  }
}
