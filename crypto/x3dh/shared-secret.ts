// The X3DH KDF (spec §2.2): SK = HKDF(F || DH1 || DH2 || DH3 [|| DH4]) with F = 32 bytes of 0xFF
// (X25519's "not a valid key" prefix, for cryptographic domain separation from XEdDSA) and a
// salt of 32 zero bytes.

import { concatBytes } from '../codec/bytes.ts'
import { utf8 } from '../codec/bytes.ts'
import { LABEL_PREFIX } from '../primitives/labels.ts'
import { nobleSymmetric, type SymmetricPrimitives } from '../provider/symmetric.ts'

export const X3DH_F = new Uint8Array(32).fill(0xff)
export const X3DH_SALT = new Uint8Array(32)
export const X3DH_CONTEXT = 'x3dh/shared-secret'

const INFO = utf8(LABEL_PREFIX + X3DH_CONTEXT)

export function x3dhSharedSecret(
  dhOutputs: readonly Uint8Array[],
  sym: SymmetricPrimitives = nobleSymmetric,
): Uint8Array {
  const ikm = concatBytes(X3DH_F, ...dhOutputs)
  const sk = sym.hkdf(ikm, X3DH_SALT, INFO, 32)
  ikm.fill(0)
  return sk
}
