// Wire codec of a Double Ratchet message (docs/protocol/crypto.md §ratchet-message):
//   header  = u8 version(1) | fixed32 ratchetKey | varuint previousChainLength | varuint number
//   message = header | bytes ciphertext
// The header's exact bytes are bound into the AEAD associated data.

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'

export const RATCHET_MESSAGE_VERSION = 1
/** Counters are u32 in spirit: a peer can never make us count past this. */
export const MAX_CHAIN_COUNTER = 0xffffffff
/** Pairwise payloads carry control messages and history snapshots: 16 MiB of plaintext. */
export const MAX_PAIRWISE_PLAINTEXT = 16 * 1024 * 1024
export const MAX_PAIRWISE_CIPHERTEXT = MAX_PAIRWISE_PLAINTEXT + 16

export interface RatchetHeader {
  ratchetKey: Uint8Array
  previousChainLength: number
  messageNumber: number
}

export interface RatchetMessage {
  header: RatchetHeader
  /** The header exactly as it was on the wire. */
  headerBytes: Uint8Array
  ciphertext: Uint8Array
}

export function writeRatchetHeader(w: Writer, header: RatchetHeader): void {
  if (header.previousChainLength > MAX_CHAIN_COUNTER || header.messageNumber > MAX_CHAIN_COUNTER) {
    throw new RangeError('ratchet counter above u32')
  }
  w.u8(RATCHET_MESSAGE_VERSION)
    .fixed(header.ratchetKey, 32, 'ratchetKey')
    .varuint(header.previousChainLength)
    .varuint(header.messageNumber)
}

export function readRatchetHeader(r: Reader): RatchetHeader {
  const version = r.u8()
  if (version !== RATCHET_MESSAGE_VERSION) fail('codec/bad-version', 'ratchet header version')
  return {
    ratchetKey: r.fixed(32),
    previousChainLength: r.varuint(MAX_CHAIN_COUNTER),
    messageNumber: r.varuint(MAX_CHAIN_COUNTER),
  }
}

export function encodeRatchetHeader(header: RatchetHeader): Uint8Array {
  const w = new Writer(48)
  writeRatchetHeader(w, header)
  return w.finish()
}

export function decodeRatchetHeader(bytes: Uint8Array): RatchetHeader {
  const r = new Reader(bytes)
  const header = readRatchetHeader(r)
  r.end()
  return header
}

export function encodeRatchetMessage(headerBytes: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length > MAX_PAIRWISE_CIPHERTEXT) throw new RangeError('ciphertext too long')
  const w = new Writer(headerBytes.length + ciphertext.length + 8)
  return w.raw(headerBytes).bytes(ciphertext).finish()
}

/** Decodes a whole message; the header bytes are kept exactly as received (for the AD). */
export function decodeRatchetMessage(bytes: Uint8Array): RatchetMessage {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  const header = readRatchetHeader(r)
  const headerBytes = bytes.slice(0, r.offset)
  const ciphertext = r.bytes(MAX_PAIRWISE_CIPHERTEXT)
  r.end()
  return { header, headerBytes, ciphertext }
}
