// Envelope codec (version 2): one local Yjs update, encrypted and signed, as it is stored and
// relayed (docs/protocol/client.md §Envelope).

import { decodeExactly, Reader } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { sha256 } from '../../crypto/primitives/kdf.ts'

export const ENVELOPE_VERSION = 2
export const ID_LENGTH = 16
export const HASH_LENGTH = 32
export const SIGNATURE_LENGTH = 64
/** One Yjs update is small; a megabyte (plus Sender-Key framing) bounds what we buffer. */
export const MAX_BODY_LENGTH = (1 << 20) + 256
/** Label of the device signature over `header ‖ body` (labelled as every Conch signature). */
export const ENVELOPE_SIGNATURE_CONTEXT = 'sync/envelope'
export const ZERO_HASH = new Uint8Array(HASH_LENGTH)

export interface EnvelopeHeader {
  scheme: number
  channelId: Uint8Array
  epoch: number
  author: Uint8Array
  seq: number
  /** sha256 of the author's previous envelope in this channel (all bytes); zeros for seq 1. */
  prev: Uint8Array
}

export interface Envelope extends EnvelopeHeader {
  body: Uint8Array
  signature: Uint8Array
}

export interface DecodedEnvelope {
  envelope: Envelope
  /** The exact header bytes (AEAD associated data of scheme 1). */
  headerBytes: Uint8Array
  /** Every byte before the signature: what the author's device key signed. */
  signedBytes: Uint8Array
  /** sha256 of all the bytes: what the author's next envelope names as `prev`. */
  hash: Uint8Array
  bytes: Uint8Array
}

export function encodeEnvelopeHeader(h: EnvelopeHeader): Uint8Array {
  if (!Number.isSafeInteger(h.seq) || h.seq < 1) throw new RangeError('seq starts at 1')
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

/** `header ‖ varbytes(body)`: the bytes the device signature covers. */
export function encodeSignedPart(header: EnvelopeHeader, body: Uint8Array): Uint8Array {
  if (body.length > MAX_BODY_LENGTH) throw new RangeError('envelope body too long')
  const h = encodeEnvelopeHeader(header)
  return new Writer(h.length + body.length + 4).raw(h).bytes(body).finish()
}

export function encodeEnvelope(signedPart: Uint8Array, signature: Uint8Array): Uint8Array {
  return new Writer(signedPart.length + SIGNATURE_LENGTH).raw(signedPart)
    .fixed(signature, SIGNATURE_LENGTH, 'signature').finish()
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

/** Decodes all of `bytes` (nothing may be left over) and computes the envelope hash. */
export function decodeEnvelope(bytes: Uint8Array): DecodedEnvelope {
  return decodeExactly(bytes, (r) => {
    const header = readHeader(r)
    const headerLength = r.offset
    const body = r.bytes(MAX_BODY_LENGTH)
    const signedLength = r.offset
    const signature = r.fixed(SIGNATURE_LENGTH)
    if (header.seq === 1 && !header.prev.every((b) => b === 0)) {
      fail('codec/bad-value', 'first envelope names a predecessor')
    }
    return {
      envelope: { ...header, body, signature },
      headerBytes: bytes.subarray(0, headerLength),
      signedBytes: bytes.subarray(0, signedLength),
      hash: sha256(bytes),
      bytes,
    }
  })
}
