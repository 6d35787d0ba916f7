// The X3DH initial message (spec §3.3) wrapping the first Double Ratchet message, with its wire
// codec (docs/protocol/crypto.md §initial-message). The initiator repeats it on every message
// until the responder replies, so reordered first messages still find their session.

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { MAX_PAIRWISE_CIPHERTEXT } from '../ratchet/ratchet-message.ts'
import { type PublicIdentity, readPublicIdentity, writePublicIdentity } from './identity.ts'
import { MAX_PREKEY_ID } from './prekey-bundle.ts'

export const INITIAL_MESSAGE_VERSION = 1
const MAX_INNER_MESSAGE = MAX_PAIRWISE_CIPHERTEXT + 64

export interface InitialMessage {
  initiator: PublicIdentity
  /** EK_A. */
  baseKey: Uint8Array
  signedPreKeyId: number
  oneTimePreKeyId: number | undefined
  /** A RatchetMessage. */
  message: Uint8Array
}

export function writeInitialMessage(w: Writer, m: InitialMessage): void {
  w.u8(INITIAL_MESSAGE_VERSION)
  writePublicIdentity(w, m.initiator)
  w.fixed(m.baseKey, 32, 'baseKey').varuint(m.signedPreKeyId)
  if (m.oneTimePreKeyId !== undefined) w.u8(1).varuint(m.oneTimePreKeyId)
  else w.u8(0)
  w.bytes(m.message)
}

export function readInitialMessage(r: Reader): InitialMessage {
  if (r.u8() !== INITIAL_MESSAGE_VERSION) fail('codec/bad-version', 'initial message version')
  const initiator = readPublicIdentity(r)
  const baseKey = r.fixed(32)
  const signedPreKeyId = r.varuint(MAX_PREKEY_ID)
  const has = r.u8()
  if (has > 1) fail('codec/bad-value', 'one-time prekey flag')
  const oneTimePreKeyId = has ? r.varuint(MAX_PREKEY_ID) : undefined
  const message = r.bytes(MAX_INNER_MESSAGE)
  return { initiator, baseKey, signedPreKeyId, oneTimePreKeyId, message }
}

export function encodeInitialMessage(m: InitialMessage): Uint8Array {
  const w = new Writer(m.message.length + 160)
  writeInitialMessage(w, m)
  return w.finish()
}

export function decodeInitialMessage(bytes: Uint8Array): InitialMessage {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  const m = readInitialMessage(r)
  r.end()
  return m
}
