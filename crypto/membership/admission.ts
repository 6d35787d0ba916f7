// Signaling admission: the server sends a 32-byte random challenge; the device answers with its
// credential and a labelled signature over (org id, challenge) with its device signing key.

import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { sign, verify } from '../primitives/ed25519.ts'
import { ADMISSION_CONTEXT } from './contexts.ts'
import { ORG_ID_LENGTH, type OrgAnchor } from './org-anchor.ts'
import type { DeviceIdentity, OrgState } from './org-state.ts'
import { verifyCredential } from './verify-credential.ts'

export { ADMISSION_CONTEXT }
export const ADMISSION_CHALLENGE_LENGTH = 32

/** The bytes a device signs to answer a challenge: version 1 || org id || challenge. */
export function admissionMessage(orgId: Uint8Array, challenge: Uint8Array): Uint8Array {
  return new Writer(64).u8(1).fixed(orgId, ORG_ID_LENGTH, 'orgId')
    .fixed(challenge, ADMISSION_CHALLENGE_LENGTH, 'challenge').finish()
}

export function verifyAdmission(
  anchor: OrgAnchor,
  state: OrgState,
  credential: Uint8Array,
  challenge: Uint8Array,
  signature: Uint8Array,
  now: number,
): DeviceIdentity {
  if (!(challenge instanceof Uint8Array) || challenge.length !== ADMISSION_CHALLENGE_LENGTH) {
    fail('codec/bad-value', 'challenge must be 32 bytes')
  }
  if (!(signature instanceof Uint8Array)) fail('codec/bad-value', 'expected signature bytes')
  const identity = verifyCredential(anchor, state, credential, now)
  const message = admissionMessage(anchor.orgId, challenge)
  if (!verify(identity.signingPublicKey, ADMISSION_CONTEXT, message, signature)) {
    fail('crypto/bad-signature', 'bad signature')
  }
  return identity
}

/** The device side: sign the admission message with the device signing key. */
export function signAdmission(
  deviceSigningSecretKey: Uint8Array,
  orgId: Uint8Array,
  challenge: Uint8Array,
): Uint8Array {
  return sign(deviceSigningSecretKey, ADMISSION_CONTEXT, admissionMessage(orgId, challenge))
}
