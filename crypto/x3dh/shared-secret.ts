// The X3DH KDF (spec §2.2): SK = HKDF(F || DH1 || DH2 || DH3 [|| DH4]) with F = 32 bytes of 0xFF
// (X25519's "not a valid key" prefix, for cryptographic domain separation from XEdDSA) and a
// salt of 32 zero bytes.

import { concatBytes } from '../codec/bytes.ts'
import { hkdf } from '../primitives/kdf.ts'

export const X3DH_F = new Uint8Array(32).fill(0xff)
export const X3DH_SALT = new Uint8Array(32)
export const X3DH_CONTEXT = 'x3dh/shared-secret'

export function x3dhSharedSecret(dhOutputs: readonly Uint8Array[]): Uint8Array {
  const ikm = concatBytes(X3DH_F, ...dhOutputs)
  const sk = hkdf(ikm, X3DH_SALT, X3DH_CONTEXT, 32)
  ikm.fill(0)
  return sk
}
