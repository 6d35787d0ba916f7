// The one blob a pairwise message travels as (docs/protocol/crypto.md §pairwise-envelope):
//   u8 version(1) | u8 type (1 = initial, 2 = ratchet) | body (consumes the rest exactly)

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { decodeRatchetMessage } from '../ratchet/ratchet-message.ts'
import {
  type InitialMessage,
  readInitialMessage,
  writeInitialMessage,
} from '../x3dh/initial-message.ts'

export const PAIRWISE_ENVELOPE_VERSION = 1
export const ENVELOPE_TYPE_INITIAL = 1
export const ENVELOPE_TYPE_RATCHET = 2

export type PairwiseEnvelope =
  | { type: 'initial'; initial: InitialMessage }
  | { type: 'ratchet'; message: Uint8Array }

export function encodePairwiseEnvelope(envelope: PairwiseEnvelope): Uint8Array {
  if (envelope.type === 'initial') {
    const w = new Writer(envelope.initial.message.length + 180)
    w.u8(PAIRWISE_ENVELOPE_VERSION).u8(ENVELOPE_TYPE_INITIAL)
    writeInitialMessage(w, envelope.initial)
    return w.finish()
  }
  const w = new Writer(envelope.message.length + 2)
  return w.u8(PAIRWISE_ENVELOPE_VERSION).u8(ENVELOPE_TYPE_RATCHET).raw(envelope.message).finish()
}

export function decodePairwiseEnvelope(bytes: Uint8Array): PairwiseEnvelope {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  if (r.u8() !== PAIRWISE_ENVELOPE_VERSION) fail('codec/bad-version', 'pairwise envelope version')
  const type = r.u8()
  if (type === ENVELOPE_TYPE_INITIAL) {
    const initial = readInitialMessage(r)
    r.end()
    return { type: 'initial', initial }
  }
  if (type === ENVELOPE_TYPE_RATCHET) {
    const message = r.rest()
    decodeRatchetMessage(message) // validates the grammar now; decrypt decodes again
    return { type: 'ratchet', message }
  }
  return fail('codec/bad-type', 'pairwise envelope type')
}
