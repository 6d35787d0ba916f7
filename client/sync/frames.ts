// Peer-to-peer sync frames carried on any PeerLink (docs/protocol/client.md §Sync frames).

import { decodeExactly, type Reader } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { ID_LENGTH } from './envelope.ts'

export const FRAME_VERSION = 2
export const FRAME_HELLO = 1
export const FRAME_HAVE = 2
export const FRAME_ENVELOPES = 3
export const FRAME_DIRECT = 4
export const FRAME_KEY_REQUEST = 5
export const FRAME_BUNDLE = 6
export const FRAME_TYPING = 7

const MAX_AUTHORS = 10_000
const MAX_ENVELOPES_PER_FRAME = 1_000
const MAX_ENVELOPE_BYTES = (1 << 20) + 512
const MAX_BUNDLE_BYTES = 1024
export const NONCE_LENGTH = 8
const MAX_DIRECT_BYTES = 4 << 20
/** Hops a direct (pairwise) frame may still travel; each forwarder decrements it. */
export const MAX_DIRECT_HOPS = 8

/** Who the sender says it is (a routing hint, never trusted) and its X3DH prekey bundle. */
export interface HelloFrame {
  type: typeof FRAME_HELLO
  device: Uint8Array
  /** Encoded PrekeyBundle (crypto §prekey-bundle), empty when the sender has none (relays). */
  bundle: Uint8Array
}

/** Another device's prekey bundle, passed on so devices that never met can start sessions. */
export interface BundleFrame {
  type: typeof FRAME_BUNDLE
  device: Uint8Array
  bundle: Uint8Array
}

/** Per-author highest contiguous sequence number a peer holds for one channel. */
export interface HaveFrame {
  type: typeof FRAME_HAVE
  channelId: Uint8Array
  have: { author: Uint8Array; seq: number }[]
}

export interface EnvelopesFrame {
  type: typeof FRAME_ENVELOPES
  envelopes: Uint8Array[]
}

/** A pairwise (Double Ratchet) envelope for one device; relayed and mailboxed blindly. */
export interface DirectFrame {
  type: typeof FRAME_DIRECT
  to: Uint8Array
  from: Uint8Array
  hops: number
  payload: Uint8Array
}

/** "Send me your chain for (channel, epoch)": public data, answered only over a session. */
export interface KeyRequestFrame {
  type: typeof FRAME_KEY_REQUEST
  channelId: Uint8Array
  author: Uint8Array
  epoch: number
  requester: Uint8Array
  /** Random per request: passers-on forward each request once, and a repeat still travels. */
  nonce: Uint8Array
  /** The requester holds no working session with `author`: start a new one (X3DH). */
  freshSession: boolean
  /** The requester's prekey bundle, so an author that never met it can open a session. */
  bundle: Uint8Array
}

/** "I am (not) typing in this channel": ephemeral, to directly linked peers only, never stored. */
export interface TypingFrame {
  type: typeof FRAME_TYPING
  channelId: Uint8Array
  typing: boolean
}

export type SyncFrame =
  | TypingFrame
  | BundleFrame
  | HelloFrame
  | HaveFrame
  | EnvelopesFrame
  | DirectFrame
  | KeyRequestFrame

export function encodeFrame(frame: SyncFrame): Uint8Array {
  const w = new Writer().u8(FRAME_VERSION).u8(frame.type)
  switch (frame.type) {
    case FRAME_HELLO:
    case FRAME_BUNDLE:
      w.fixed(frame.device, ID_LENGTH, 'device').bytes(frame.bundle)
      break
    case FRAME_HAVE:
      w.fixed(frame.channelId, ID_LENGTH, 'channelId').varuint(frame.have.length)
      for (const h of frame.have) w.fixed(h.author, ID_LENGTH, 'author').varuint(h.seq)
      break
    case FRAME_ENVELOPES:
      w.varuint(frame.envelopes.length)
      for (const e of frame.envelopes) w.bytes(e)
      break
    case FRAME_DIRECT:
      w.fixed(frame.to, ID_LENGTH, 'to').fixed(frame.from, ID_LENGTH, 'from').u8(frame.hops)
        .bytes(frame.payload)
      break
    case FRAME_TYPING:
      w.fixed(frame.channelId, ID_LENGTH, 'channelId').u8(frame.typing ? 1 : 0)
      break
    case FRAME_KEY_REQUEST:
      w.fixed(frame.channelId, ID_LENGTH, 'channelId').fixed(frame.author, ID_LENGTH, 'author')
        .varuint(frame.epoch).fixed(frame.requester, ID_LENGTH, 'requester')
        .fixed(frame.nonce, NONCE_LENGTH, 'nonce').u8(frame.freshSession ? 1 : 0).bytes(
          frame.bundle,
        )
      break
  }
  return w.finish()
}

function readHave(r: Reader): HaveFrame {
  const channelId = r.fixed(ID_LENGTH)
  const count = r.varuint(MAX_AUTHORS)
  const have: HaveFrame['have'] = []
  for (let i = 0; i < count; i++) have.push({ author: r.fixed(ID_LENGTH), seq: r.varuint() })
  return { type: FRAME_HAVE, channelId, have }
}

function readEnvelopes(r: Reader): EnvelopesFrame {
  const count = r.varuint(MAX_ENVELOPES_PER_FRAME)
  const envelopes: Uint8Array[] = []
  for (let i = 0; i < count; i++) envelopes.push(r.bytes(MAX_ENVELOPE_BYTES))
  return { type: FRAME_ENVELOPES, envelopes }
}

function readFlag(r: Reader): boolean {
  const flag = r.u8()
  if (flag > 1) fail('codec/bad-value', 'flag must be 0 or 1')
  return flag === 1
}

export function decodeFrame(bytes: Uint8Array): SyncFrame {
  return decodeExactly(bytes, (r): SyncFrame => {
    if (r.u8() !== FRAME_VERSION) fail('codec/bad-version', 'unknown frame version')
    const type = r.u8()
    switch (type) {
      case FRAME_HELLO:
      case FRAME_BUNDLE:
        return { type, device: r.fixed(ID_LENGTH), bundle: r.bytes(MAX_BUNDLE_BYTES) }
      case FRAME_HAVE:
        return readHave(r)
      case FRAME_ENVELOPES:
        return readEnvelopes(r)
      case FRAME_DIRECT: {
        const to = r.fixed(ID_LENGTH)
        const from = r.fixed(ID_LENGTH)
        const hops = r.u8()
        if (hops > MAX_DIRECT_HOPS) fail('codec/bad-value', 'too many hops')
        return { type, to, from, hops, payload: r.bytes(MAX_DIRECT_BYTES) }
      }
      case FRAME_TYPING:
        return { type, channelId: r.fixed(ID_LENGTH), typing: readFlag(r) }
      case FRAME_KEY_REQUEST:
        return {
          type,
          channelId: r.fixed(ID_LENGTH),
          author: r.fixed(ID_LENGTH),
          epoch: r.varuint(0xffffffff),
          requester: r.fixed(ID_LENGTH),
          nonce: r.fixed(NONCE_LENGTH),
          freshSession: readFlag(r),
          bundle: r.bytes(MAX_BUNDLE_BYTES),
        }
    }
    return fail('codec/bad-type', 'unknown frame type')
  })
}

export const MAX_FRAME_ENVELOPES = MAX_ENVELOPES_PER_FRAME
