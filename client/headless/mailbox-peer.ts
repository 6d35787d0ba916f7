// The mailbox's side of the sync protocol (docs/protocol/client.md §Sync frames) on authenticated
// links: it answers HAVE with what the device lacks and asks for what it lacks itself, keeps
// every envelope that passes the relay checks, forwards it live to the other devices in that
// channel, and holds pairwise (DIRECT) frames for devices that are away. It never decrypts.
// Everything about channel C (envelopes, HAVE vectors, key requests) goes only to, and is only
// taken from, devices that read C; a DIRECT frame goes only to the one device it names.

import { equalBytes, fromHex, toHex } from '../../crypto/codec/bytes.ts'
import { sha256 } from '../../crypto/primitives/kdf.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import {
  decodeFrame,
  encodeFrame,
  FRAME_BUNDLE,
  FRAME_DIRECT,
  FRAME_ENVELOPES,
  FRAME_HAVE,
  FRAME_HELLO,
  FRAME_KEY_REQUEST,
  MAX_FRAME_ENVELOPES,
  type SyncFrame,
} from '../sync/frames.ts'
import { checkEnvelopeForRelay, type RelayCheckOptions } from '../transport/envelope-admission.ts'
import type { AuthenticatedLink } from '../transport/link-auth.ts'
import type { LinkEvents, PeerLink } from '../transport/peer-link.ts'
import type { BlindMailbox } from './blind-mailbox.ts'

/** Same batching as the engine: frames stay under 64 KiB unless one envelope is larger. */
const MAX_FRAME_BYTES = 64 * 1024
/** Prekey bundles passed on (one per device; receivers verify each against its certificate). */
const MAX_BUNDLES = 10_000
/** Key requests remembered for flood suppression. */
const MAX_SEEN = 10_000

export interface MailboxPeerOptions {
  mailbox: BlindMailbox
  /** This peer's device id (its relay certificate's), announced in HELLO. */
  deviceId: Uint8Array
  check: RelayCheckOptions
  now(): number
  /** Whether the device reads the channel (hex ids), asked at every use: membership changes. */
  mayRead(deviceHex: string, channelHex: string): boolean
  /** Called the first time a device that reads it names a channel (the relay joins its topic). */
  onChannel?(channelHex: string): void
}

export interface MailboxPeerStats {
  links: number
  framesIn: number
  malformed: number
  rejected: Record<string, number>
  ignored: number
  forwarded: number
  /** Frames about a channel from a device that does not read it, dropped unanswered. */
  refused: number
}

interface LinkState {
  link: AuthenticatedLink
  device: string
  /** Channels (hex) this device told us it is in, by sending HAVE. */
  channels: Set<string>
}

export class MailboxPeer {
  readonly stats: MailboxPeerStats = {
    links: 0,
    framesIn: 0,
    malformed: 0,
    rejected: {},
    ignored: 0,
    forwarded: 0,
    refused: 0,
  }
  private readonly links = new Map<PeerLink, LinkState>()
  private readonly seen = new Set<string>()
  /** device hex -> its latest prekey bundle: a directory for devices that never meet. */
  private readonly bundles = new Map<string, Uint8Array>()
  private readonly seenRequests = new Set<string>()
  private queue: Promise<void> = Promise.resolve()
  /** The inner events for `authenticateLinks`: only authenticated links reach the mailbox. */
  readonly events: LinkEvents

  constructor(private readonly opts: MailboxPeerOptions) {
    this.events = {
      up: (l) => this.up(l as AuthenticatedLink),
      down: (l) => this.down(l),
      frame: (l, b) => this.frame(l, b),
    }
  }

  /** Every channel (hex id) some device has named in a HAVE since start. */
  channelsSeen(): Set<string> {
    return this.seen
  }

  private up(link: AuthenticatedLink): void {
    const device = toHex(link.identity.deviceId)
    this.links.set(link, { link, device, channels: new Set() })
    this.stats.links = this.links.size
    // A relay has no prekey bundle: it takes part in no pairwise session.
    this.send(link, { type: FRAME_HELLO, device: this.opts.deviceId, bundle: new Uint8Array(0) })
    for (const [d, bundle] of this.bundles) {
      if (d !== device) this.send(link, { type: FRAME_BUNDLE, device: fromHex(d), bundle })
    }
    for (const frame of this.opts.mailbox.takeDirect(device)) this.sendRaw(link, frame)
  }

  private down(link: PeerLink): void {
    this.links.delete(link)
    this.stats.links = this.links.size
  }

  private frame(link: PeerLink, bytes: Uint8Array): void {
    const state = this.links.get(link)
    if (!state) return
    this.stats.framesIn++
    let frame: SyncFrame
    try {
      frame = decodeFrame(bytes)
    } catch (e) {
      if (!isConchError(e)) throw e
      this.stats.malformed++
      return
    }
    switch (frame.type) {
      case FRAME_HELLO:
        // The link's identity is proven; a bundle is passed on only as its own device's.
        if (toHex(frame.device) === state.device) this.learnBundle(link, state.device, frame.bundle)
        return
      case FRAME_BUNDLE:
        return this.learnBundle(link, toHex(frame.device), frame.bundle)
      case FRAME_HAVE: {
        const channel = toHex(frame.channelId)
        if (!this.opts.mayRead(state.device, channel)) {
          this.stats.refused++
          return
        }
        state.channels.add(channel)
        if (!this.seen.has(channel)) {
          this.seen.add(channel)
          this.opts.onChannel?.(channel)
        }
        // After the batches already queued, so the answer includes what just arrived.
        return this.enqueue(() => {
          this.sendEnvelopes(link, this.opts.mailbox.missing(channel, frame.have))
          // Ask for what we lack: the device answers with ENVELOPES above our vector.
          const have = this.opts.mailbox.haveVector(channel)
          this.send(link, { type: FRAME_HAVE, channelId: frame.channelId, have })
        })
      }
      case FRAME_ENVELOPES: {
        // Checks are async (native verify); batches are handled one after another, in order.
        const envelopes = frame.envelopes
        return this.enqueue(() => this.onEnvelopes(state, envelopes))
      }
      case FRAME_DIRECT:
        return this.onDirect(state, bytes, frame)
      case FRAME_KEY_REQUEST: {
        // Flooded once to every other device that reads the channel (the author may be behind
        // another relay), as the engine's router does; the requester's bundle goes into the
        // directory.
        const channel = toHex(frame.channelId)
        if (!this.opts.mayRead(state.device, channel)) {
          this.stats.refused++
          return
        }
        const id = toHex(sha256(bytes).subarray(0, 16))
        if (this.seenRequests.has(id)) return
        if (this.seenRequests.size >= MAX_SEEN) this.seenRequests.clear()
        this.seenRequests.add(id)
        this.learnBundle(link, toHex(frame.requester), frame.bundle)
        for (const other of this.links.values()) {
          if (other.link !== link && this.opts.mayRead(other.device, channel)) {
            this.sendRaw(other.link, bytes)
          }
        }
        return
      }
    }
  }

  /** Keeps the newest bundle per device and passes a new one on to the other links. */
  private learnBundle(from: PeerLink, device: string, bundle: Uint8Array): void {
    if (bundle.length === 0 || device === toHex(this.opts.deviceId)) return
    const known = this.bundles.get(device)
    if (known && equalBytes(known, bundle)) return
    if (!known && this.bundles.size >= MAX_BUNDLES) return
    if (!this.opts.check.orgState().devices.has(device)) return
    this.bundles.set(device, bundle)
    const frame = encodeFrame({ type: FRAME_BUNDLE, device: fromHex(device), bundle })
    for (const other of this.links.values()) {
      if (other.link !== from && other.device !== device) this.sendRaw(other.link, frame)
    }
  }

  /** Serial work: a failing task is logged and never stalls the ones behind it. */
  private enqueue(task: () => void | Promise<void>): void {
    this.queue = this.queue.then(task).catch((e) => {
      console.error('conch headless: sync task failed', e)
    })
  }

  /** Resolves when every batch received so far has been checked and stored. */
  idle(): Promise<void> {
    return this.queue
  }

  private async onEnvelopes(from: LinkState, envelopes: Uint8Array[]): Promise<void> {
    const now = this.opts.now()
    const fresh = new Map<string, Uint8Array[]>()
    for (const bytes of envelopes) {
      const v = await checkEnvelopeForRelay(this.opts.check, bytes)
      if (v.verdict === 'reject') {
        this.stats.rejected[v.reason] = (this.stats.rejected[v.reason] ?? 0) + 1
        continue
      }
      if (v.verdict === 'ignore') {
        this.stats.ignored++
        continue
      }
      const channel = toHex(v.envelope.envelope.channelId)
      // A device that does not read the channel neither adds to it nor learns its vector.
      if (!this.opts.mayRead(from.device, channel)) {
        this.stats.refused++
        continue
      }
      if (!this.opts.mailbox.putEnvelope(v.envelope, now)) continue
      fresh.set(channel, [...(fresh.get(channel) ?? []), bytes])
    }
    for (const [channel, batch] of fresh) {
      // Live relay: the other devices in the channel get it now, not at their next HAVE.
      for (const other of this.links.values()) {
        if (other === from || !other.channels.has(channel)) continue
        if (!this.opts.mayRead(other.device, channel)) continue
        this.stats.forwarded += batch.length
        this.sendEnvelopes(other.link, batch)
      }
      // The acknowledgement: our HAVE shows the sender the envelopes are held here ("relayed").
      // Only sent when something was new, so a HAVE/ENVELOPES exchange always terminates.
      const have = this.opts.mailbox.haveVector(channel)
      this.send(from.link, { type: FRAME_HAVE, channelId: fromHex(channel), have })
    }
  }

  private onDirect(
    from: LinkState,
    bytes: Uint8Array,
    frame: Extract<SyncFrame, { type: typeof FRAME_DIRECT }>,
  ): void {
    const to = toHex(frame.to)
    if (to === from.device) return
    // Engines flood a DIRECT they cannot deliver: hold and pass on each payload once.
    const id = toHex(sha256(frame.payload).subarray(0, 16))
    if (this.seenRequests.has(id)) return
    if (this.seenRequests.size >= MAX_SEEN) this.seenRequests.clear()
    this.seenRequests.add(id)
    const targets = [...this.links.values()].filter((s) => s.device === to)
    if (targets.length === 0) return this.opts.mailbox.putDirect(to, bytes, this.opts.now())
    if (frame.hops === 0) return
    const forwarded = encodeFrame({ ...frame, hops: frame.hops - 1 })
    for (const t of targets) this.sendRaw(t.link, forwarded)
  }

  private sendEnvelopes(link: PeerLink, envelopes: Uint8Array[]): void {
    let batch: Uint8Array[] = []
    let size = 0
    const flush = () => {
      if (batch.length) this.send(link, { type: FRAME_ENVELOPES, envelopes: batch })
      batch = []
      size = 0
    }
    for (const e of envelopes) {
      if (
        batch.length && (size + e.length > MAX_FRAME_BYTES || batch.length >= MAX_FRAME_ENVELOPES)
      ) {
        flush()
      }
      batch.push(e)
      size += e.length
    }
    flush()
  }

  private send(link: PeerLink, frame: SyncFrame): void {
    this.sendRaw(link, encodeFrame(frame))
  }

  private sendRaw(link: PeerLink, bytes: Uint8Array): void {
    try {
      link.send(bytes)
    } catch {
      // Closing link: the device reconciles on its next link-up.
    }
  }
}
