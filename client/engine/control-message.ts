// Plaintext of a pairwise control message (inside a Double Ratchet envelope), docs/protocol/
// client.md §Control messages:  version:u8(=1) type:u8 channelId:bytes[16] payload:varbytes

import { decodeExactly } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { ID_LENGTH } from '../sync/envelope.ts'

export const CONTROL_VERSION = 1
/** payload = sender-key distribution message (crypto §distribution-message) at epoch start. */
export const CONTROL_DISTRIBUTION = 1
/** payload = snapshot (client/sync/snapshot.ts): channel history for a new device. */
export const CONTROL_SNAPSHOT = 2

const MAX_PAYLOAD = 4 << 20

export interface ControlMessage {
  type: typeof CONTROL_DISTRIBUTION | typeof CONTROL_SNAPSHOT
  channelId: Uint8Array
  payload: Uint8Array
}

export function encodeControl(m: ControlMessage): Uint8Array {
  return new Writer(m.payload.length + 32).u8(CONTROL_VERSION).u8(m.type)
    .fixed(m.channelId, ID_LENGTH, 'channelId').bytes(m.payload).finish()
}

export function decodeControl(bytes: Uint8Array): ControlMessage {
  return decodeExactly(bytes, (r) => {
    if (r.u8() !== CONTROL_VERSION) fail('codec/bad-version', 'unknown control version')
    const type = r.u8()
    if (type !== CONTROL_DISTRIBUTION && type !== CONTROL_SNAPSHOT) {
      fail('codec/bad-type', 'unknown control type')
    }
    return { type, channelId: r.fixed(ID_LENGTH), payload: r.bytes(MAX_PAYLOAD) }
  })
}
