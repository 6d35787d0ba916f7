// Wire codec of a channel message under Sender Keys (docs/protocol/crypto.md §sender-key-message):
//   u8 version(1) | bytes channelId | varuint epoch | bytes deviceId | varuint iteration
//   | bytes ciphertext | fixed64 signature
// The signature (context "sender-keys/message") covers every byte before it, so any relay can
// check authorship without reading the content.

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { MAX_CHAIN_COUNTER } from '../ratchet/ratchet-message.ts'
import { readChainId, type SenderChainId, writeChainId } from './sender-chain.ts'

export const SENDER_KEY_MESSAGE_VERSION = 1
/** Channel payloads are Yjs updates: 1 MiB of plaintext each at most. */
export const MAX_CHANNEL_PLAINTEXT = 1024 * 1024
export const MAX_CHANNEL_CIPHERTEXT = MAX_CHANNEL_PLAINTEXT + 16

export interface SenderKeyMessage extends SenderChainId {
  iteration: number
  ciphertext: Uint8Array
  signature: Uint8Array
  /** Bytes from the version through the iteration: bound into the AEAD associated data. */
  headerBytes: Uint8Array
  /** Every byte before the signature. */
  signedBytes: Uint8Array
}

export function encodeSenderKeyHeader(id: SenderChainId, iteration: number): Uint8Array {
  const w = new Writer(160).u8(SENDER_KEY_MESSAGE_VERSION)
  writeChainId(w, id)
  return w.varuint(iteration).finish()
}

export function encodeSignedBody(headerBytes: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length > MAX_CHANNEL_CIPHERTEXT) throw new RangeError('ciphertext too long')
  return new Writer(headerBytes.length + ciphertext.length + 80).raw(headerBytes).bytes(ciphertext)
    .finish()
}

export function decodeSenderKeyMessage(bytes: Uint8Array): SenderKeyMessage {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  if (r.u8() !== SENDER_KEY_MESSAGE_VERSION) fail('codec/bad-version', 'sender key message version')
  const id = readChainId(r)
  const iteration = r.varuint(MAX_CHAIN_COUNTER)
  const headerLength = r.offset
  const ciphertext = r.bytes(MAX_CHANNEL_CIPHERTEXT)
  const signedLength = r.offset
  const signature = r.fixed(64)
  r.end()
  return {
    ...id,
    iteration,
    ciphertext,
    signature,
    // Views, not copies: a decoded message lives only as long as the decrypt that reads it.
    headerBytes: bytes.subarray(0, headerLength),
    signedBytes: bytes.subarray(0, signedLength),
  }
}
