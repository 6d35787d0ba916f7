// Envelope codec: one local Yjs update, encrypted, as it is stored and relayed (docs/PROTOCOL.md §Envelope).

import { decodeExactly, Reader } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { sha256 } from '../../crypto/primitives/kdf.ts'

export const ENVELOPE_VERSION = 1
export const ID_LENGTH = 16
export const HASH_LENGTH = 32
/** One Yjs update is small; a megabyte bounds what a peer can make us buffer per envelope. */
export const MAX_BODY_LENGTH = 1 << 20

export interface EnvelopeHeader {
  scheme: number
  channelId: Uint8Array
  epoch: number
  author: Uint8Array
  seq: number
  /** sha256 of the author's previous envelope in this channel; zeros for seq 1. */
  prev: Uint8Array
}

export interface Envelope extends EnvelopeHeader {
  body: Uint8Array
}

export function encodeEnvelopeHeader(h: EnvelopeHeader): Uint8Array {
  if (h.seq < 1) throw new RangeError('seq starts at 1')
  return new Writer(96)
    .u8(ENVELOPE_VERSION)
    .u8(h.scheme)
    .fixed(h.channelId, ID_LENGTH, 'channelId')
    .varuint(h.epoch)
    .fixed(h.author, ID_LENGTH, 'author')
    .varuint(h.seq)
    .fixed(h.prev, HASH_LENGTH, 'prev')
    .finish()
}

export function encodeEnvelope(e: Envelope): Uint8Array {
  const header = encodeEnvelopeHeader(e)
  return new Writer(header.length + e.body.length + 4).raw(header).bytes(e.body).finish()
}

function readHeader(r: Reader): EnvelopeHeader {
  const version = r.u8()
  if (version !== ENVELOPE_VERSION) fail('codec/bad-version', 'unknown envelope version')
  const scheme = r.u8()
  const channelId = r.fixed(ID_LENGTH)
  const epoch = r.varuint(0xffffffff)
  const author = r.fixed(ID_LENGTH)
  const seq = r.varuint()
  if (seq < 1) fail('codec/bad-value', 'seq starts at 1')
  const prev = r.fixed(HASH_LENGTH)
  return { scheme, channelId, epoch, author, seq, prev }
}

/** Decodes and returns the header bytes too: they are the AEAD associated data. */
export function decodeEnvelope(bytes: Uint8Array): { envelope: Envelope; headerBytes: Uint8Array } {
  return decodeExactly(bytes, (r) => {
    const header = readHeader(r)
    const headerBytes = bytes.slice(0, r.offset)
    const body = r.bytes(MAX_BODY_LENGTH)
    return { envelope: { ...header, body }, headerBytes }
  })
}

export function envelopeHash(bytes: Uint8Array): Uint8Array {
  return sha256(bytes)
}
