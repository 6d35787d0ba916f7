// Envelopes as an author device makes them (version 2: header, sealed body, device signature),
// built from the sync codec and the crypto primitives so relay tests need no channel engine.

import { sharedKeyChannelCipher } from '../../../../crypto/envelope/channel-cipher.ts'
import { utf8 } from '../../../../crypto/codec/bytes.ts'
import { sign } from '../../../../crypto/primitives/ed25519.ts'
import { sha256 } from '../../../../crypto/primitives/kdf.ts'
import {
  encodeEnvelope,
  encodeEnvelopeHeader,
  encodeSignedPart,
  ENVELOPE_SIGNATURE_CONTEXT,
  type EnvelopeHeader,
} from '../../../../client/sync/envelope.ts'
import type { TestDevice } from './test-org.ts'

export const CHANNEL_ID = new Uint8Array(16).fill(0x42)
export const CHANNEL_SECRET = new Uint8Array(32).fill(0x24)
export const cipher = () => sharedKeyChannelCipher(CHANNEL_SECRET, CHANNEL_ID)

/** One author's chain in one channel: each `next(text)` is seq+1 and names its predecessor. */
export function authorChain(device: TestDevice, channelId = CHANNEL_ID) {
  let seq = 0
  let prev: Uint8Array = new Uint8Array(32)
  return async (text: string, tamper?: (signed: Uint8Array) => void): Promise<Uint8Array> => {
    const header: EnvelopeHeader = {
      scheme: 1,
      channelId,
      epoch: 0,
      author: device.deviceId,
      seq: seq + 1,
      prev,
    }
    const body = await cipher().seal(utf8(text), encodeEnvelopeHeader(header))
    const signed = encodeSignedPart(header, body)
    const signature = sign(device.signing.secretKey, ENVELOPE_SIGNATURE_CONTEXT, signed)
    tamper?.(signed)
    const bytes = encodeEnvelope(signed, signature)
    seq++
    prev = sha256(bytes)
    return bytes
  }
}
