// Peer-to-peer sync frames carried on a data channel (docs/PROTOCOL.md §Sync frames).

import { decodeExactly, type Reader } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { ID_LENGTH } from './envelope.ts'

export const FRAME_VERSION = 1
export const FRAME_HAVE = 1
export const FRAME_ENVELOPES = 2

const MAX_AUTHORS = 10_000
const MAX_ENVELOPES_PER_FRAME = 1_000
const MAX_ENVELOPE_BYTES = (1 << 20) + 256

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

export type SyncFrame = HaveFrame | EnvelopesFrame

export function encodeFrame(frame: SyncFrame): Uint8Array {
  const w = new Writer().u8(FRAME_VERSION).u8(frame.type)
  if (frame.type === FRAME_HAVE) {
    w.fixed(frame.channelId, ID_LENGTH, 'channelId').varuint(frame.have.length)
    for (const h of frame.have) w.fixed(h.author, ID_LENGTH, 'author').varuint(h.seq)
  } else {
    w.varuint(frame.envelopes.length)
    for (const e of frame.envelopes) w.bytes(e)
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

export function decodeFrame(bytes: Uint8Array): SyncFrame {
  return decodeExactly(bytes, (r) => {
    if (r.u8() !== FRAME_VERSION) fail('codec/bad-version', 'unknown frame version')
    const type = r.u8()
    if (type === FRAME_HAVE) return readHave(r)
    if (type === FRAME_ENVELOPES) return readEnvelopes(r)
    return fail('codec/bad-type', 'unknown frame type')
  })
}

export const MAX_FRAME_ENVELOPES = MAX_ENVELOPES_PER_FRAME
