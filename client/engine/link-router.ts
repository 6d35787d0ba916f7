// Frames on links: HELLO and HAVE on link-up, missing envelopes on HAVE, pairwise (DIRECT) frames
// routed to their device or flooded and held as a blind mailbox, key requests passed on.

import { equalBytes, fromHex, toHex } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { sha256 } from '../../crypto/primitives/kdf.ts'
import {
  decodeFrame,
  type DirectFrame,
  encodeFrame,
  FRAME_BUNDLE,
  FRAME_DIRECT,
  FRAME_ENVELOPES,
  FRAME_HAVE,
  FRAME_HELLO,
  FRAME_KEY_REQUEST,
  FRAME_TYPING,
  MAX_DIRECT_HOPS,
  MAX_FRAME_ENVELOPES,
  NONCE_LENGTH,
} from '../sync/frames.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { PeerLink } from '../transport/peer-link.ts'
import type { ChannelStats } from './channel-stats.ts'

/** Keep data-channel messages well under Chromium's 256 KiB SCTP message limit. */
const MAX_FRAME_BYTES = 64 * 1024
const MAILBOX_PER_DEVICE = 256
const MAILBOX_DEVICES = 1000
const SEEN_LIMIT = 10_000
const BUNDLES_KEPT = 1000

export interface RouterHooks {
  have(): { author: Uint8Array; seq: number }[]
  missingFor(have: { author: Uint8Array; seq: number }[]): Uint8Array[]
  bundle(): Uint8Array
  hello(device: string, bundle: Uint8Array): void
  /** A peer (device as it said in HELLO) holds our envelopes up to `seq`. */
  peerHave(device: string | undefined, seq: number): void
  /** A device with an empty vector: true when it will get a history snapshot instead. */
  newcomer(device: string): boolean
  envelopes(link: PeerLink, envelopes: Uint8Array[]): void
  direct(from: string, payload: Uint8Array): void
  keyRequest(requester: string, epoch: number, freshSession: boolean): void
  /** A directly linked device says it is (not) typing. */
  typing(device: string, on: boolean): void
  /** A link now names its device (HELLO): who is present changed. */
  peersChanged(): void
}

export class LinkRouter {
  private readonly links = new Map<string, { link: PeerLink; device?: string }>()
  private readonly mailbox = new Map<string, Uint8Array[]>()
  private readonly seen = new Set<string>()
  private readonly asked = new Set<string>()
  /** Bundles heard from peers (checked by the org layer before use), passed on at link-up. */
  private readonly bundles = new Map<string, Uint8Array>()
  private readonly me: string

  constructor(
    private readonly deviceId: Uint8Array,
    private readonly channelId: Uint8Array,
    private readonly stats: ChannelStats,
    private readonly hooks: RouterHooks,
    private readonly random: RandomSource,
  ) {
    this.me = toHex(deviceId)
  }

  linkUp(link: PeerLink): void {
    this.links.set(link.id, { link })
    this.introduce(link)
  }

  /** HELLO (who we say we are), the bundles we know, and HAVE (our sequence vector). */
  private introduce(link: PeerLink): void {
    this.send(
      link,
      encodeFrame({ type: FRAME_HELLO, device: this.deviceId, bundle: this.hooks.bundle() }),
    )
    for (const [device, bundle] of this.bundles) {
      this.send(link, encodeFrame({ type: FRAME_BUNDLE, device: fromHex(device), bundle }))
    }
    this.send(
      link,
      encodeFrame({ type: FRAME_HAVE, channelId: this.channelId, have: this.hooks.have() }),
    )
  }

  linkDown(link: PeerLink): void {
    this.links.delete(link.id)
  }

  /** Devices with a live link: authenticated identities where the link has one, else HELLO's. */
  presentDevices(): string[] {
    const out = new Set<string>()
    for (const { link, device } of this.links.values()) {
      const d = linkDevice(link, device)
      if (d && d !== this.me) out.add(d)
    }
    return [...out].sort()
  }

  /** Tells every directly linked peer; typing is never forwarded or stored. */
  sendTyping(on: boolean): void {
    const frame = encodeFrame({ type: FRAME_TYPING, channelId: this.channelId, typing: on })
    for (const { link } of this.links.values()) this.send(link, frame)
  }

  closeAll(): void {
    this.links.clear()
    this.mailbox.clear()
  }

  announceAll(): void {
    this.asked.clear()
    for (const { link } of this.links.values()) this.introduce(link)
  }

  /** A blind relay acknowledges what it now holds, so the author can show "relayed". */
  acknowledge(link: PeerLink): void {
    if (!this.links.has(link.id)) return
    this.send(
      link,
      encodeFrame({ type: FRAME_HAVE, channelId: this.channelId, have: this.hooks.have() }),
    )
  }

  receive(link: PeerLink, bytes: Uint8Array): void {
    this.stats.framesIn++
    this.stats.bytesIn += bytes.length
    let frame
    try {
      frame = decodeFrame(bytes)
    } catch (e) {
      if (!isConchError(e)) throw e
      this.stats.envelopesRejected++
      this.stats.rejectedByReason['malformed-frame'] =
        (this.stats.rejectedByReason['malformed-frame'] ?? 0) + 1
      return
    }
    const entry = this.links.get(link.id)
    switch (frame.type) {
      case FRAME_HELLO: {
        const device = toHex(frame.device)
        if (entry && entry.device !== device) {
          entry.device = device
          this.hooks.peersChanged()
        }
        this.hearBundle(device, frame.bundle)
        for (const f of this.mailbox.get(device) ?? []) this.send(link, f)
        return
      }
      case FRAME_BUNDLE:
        this.hearBundle(toHex(frame.device), frame.bundle)
        return
      case FRAME_HAVE: {
        if (!equalBytes(frame.channelId, this.channelId)) return
        const fresh = frame.have.length === 0 && entry?.device !== undefined
        if (fresh && this.hooks.newcomer(entry!.device!)) return
        this.sendEnvelopes(link, this.hooks.missingFor(frame.have))
        const mine = frame.have.find((h) => toHex(h.author) === this.me)
        if (mine) this.hooks.peerHave(entry?.device, mine.seq)
        return
      }
      case FRAME_ENVELOPES:
        this.hooks.envelopes(link, frame.envelopes)
        return
      case FRAME_DIRECT:
        this.routeDirect(frame, bytes, link)
        return
      case FRAME_TYPING: {
        if (!equalBytes(frame.channelId, this.channelId)) return
        const device = linkDevice(link, entry?.device)
        if (device && device !== this.me) this.hooks.typing(device, frame.typing)
        return
      }
      case FRAME_KEY_REQUEST: {
        if (!equalBytes(frame.channelId, this.channelId)) return
        if (!this.firstSight(bytes)) return
        this.hearBundle(toHex(frame.requester), frame.bundle)
        if (equalBytes(frame.author, this.deviceId)) {
          this.hooks.keyRequest(toHex(frame.requester), frame.epoch, frame.freshSession)
        } else {
          for (const l of this.links.values()) if (l.link !== link) this.send(l.link, bytes)
        }
      }
    }
  }

  private hearBundle(device: string, bundle: Uint8Array): void {
    if (bundle.length === 0 || device === this.me) return
    if (!this.bundles.has(device) && this.bundles.size >= BUNDLES_KEPT) return
    this.bundles.set(device, bundle)
    this.hooks.hello(device, bundle)
  }

  private firstSight(bytes: Uint8Array): boolean {
    const id = toHex(sha256(bytes).subarray(0, 16))
    if (this.seen.has(id)) return false
    if (this.seen.size >= SEEN_LIMIT) this.seen.clear()
    this.seen.add(id)
    return true
  }

  private routeDirect(frame: DirectFrame, bytes: Uint8Array, from: PeerLink | undefined): void {
    const to = toHex(frame.to)
    const id = directId(frame.payload)
    if (to === this.me) {
      if (this.seen.has(id)) return
      if (this.seen.size >= SEEN_LIMIT) this.seen.clear()
      this.seen.add(id)
      this.hooks.direct(toHex(frame.from), frame.payload)
      return
    }
    // Not ours: passed on once. Straight to the device when it is linked to us; otherwise held
    // for it (blind mailbox, delivered when it says HELLO) and flooded while hops remain.
    const first = !this.seen.has(id)
    if (!first && from) return
    if (this.seen.size >= SEEN_LIMIT) this.seen.clear()
    this.seen.add(id)
    const direct = [...this.links.values()].find((l) => l.device === to)
    if (direct) {
      this.send(direct.link, bytes)
      return
    }
    if (first) {
      const box = this.mailbox.get(to) ?? []
      box.push(bytes)
      if (box.length > MAILBOX_PER_DEVICE) box.shift()
      if (!this.mailbox.has(to) && this.mailbox.size >= MAILBOX_DEVICES) {
        this.mailbox.delete(this.mailbox.keys().next().value!)
      }
      this.mailbox.set(to, box)
      this.stats.directHeld++
    }
    if (frame.hops === 0) return
    const next = encodeFrame({ ...frame, hops: frame.hops - 1 })
    for (const l of this.links.values()) if (l.link !== from) this.send(l.link, next)
  }

  sendDirect(to: string, payload: Uint8Array): void {
    const frame = {
      type: FRAME_DIRECT,
      to: fromHex(to),
      from: this.deviceId,
      hops: MAX_DIRECT_HOPS,
      payload,
    } as const
    this.routeDirect(frame, encodeFrame(frame), undefined)
  }

  requestKey(author: Uint8Array, epoch: number, freshSession: boolean): void {
    const key = `${toHex(author)}/${epoch}`
    if (this.asked.has(key)) return
    this.asked.add(key)
    const bytes = encodeFrame({
      type: FRAME_KEY_REQUEST,
      channelId: this.channelId,
      author,
      epoch,
      requester: this.deviceId,
      nonce: this.random(NONCE_LENGTH),
      freshSession,
      bundle: this.hooks.bundle(),
    })
    for (const { link } of this.links.values()) this.send(link, bytes)
  }

  /** Sends to every link but `except`; returns how many links took the envelopes. */
  broadcast(envelopes: Uint8Array[], except: PeerLink | undefined): number {
    let n = 0
    for (const { link } of this.links.values()) {
      if (link !== except && this.sendEnvelopes(link, envelopes)) n++
    }
    return n
  }

  private sendEnvelopes(link: PeerLink, envelopes: Uint8Array[]): boolean {
    let ok = true
    let batch: Uint8Array[] = []
    let size = 0
    const flush = () => {
      if (batch.length) {
        ok = this.send(link, encodeFrame({ type: FRAME_ENVELOPES, envelopes: batch })) && ok
      }
      batch = []
      size = 0
    }
    for (const e of envelopes) {
      if (
        batch.length && (size + e.length > MAX_FRAME_BYTES || batch.length >= MAX_FRAME_ENVELOPES)
      ) flush()
      batch.push(e)
      size += e.length
    }
    flush()
    return ok
  }

  private send(link: PeerLink, frame: Uint8Array): boolean {
    try {
      link.send(frame)
      this.stats.framesOut++
      this.stats.bytesOut += frame.length
      return true
    } catch {
      // A closing link: the reconciliation on the next link-up resends whatever was missed.
      return false
    }
  }
}

/**
 * Names a pairwise message for de-duplication without hashing megabytes: its length and the
 * first 256 bytes, which hold the ratchet header (a fresh key and counter per message).
 */
function directId(payload: Uint8Array): string {
  return `${payload.length}/${toHex(sha256(payload.subarray(0, 256)).subarray(0, 16))}`
}

/** The peer behind a link: its certified device when link authentication ran, else its HELLO. */
function linkDevice(link: PeerLink, hello: string | undefined): string | undefined {
  const identity = (link as { identity?: { deviceId?: Uint8Array } }).identity
  return identity?.deviceId ? toHex(identity.deviceId) : hello
}
