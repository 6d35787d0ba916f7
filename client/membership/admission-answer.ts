// The device side of signaling admission (docs/protocol/signaling.md): answer the worker's
// challenge with the credential and a labelled signature over (org id, challenge).

import { base64url, fromBase64url } from '../../crypto/codec/bytes.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { ADMISSION_CHALLENGE_LENGTH, signAdmission } from '../../crypto/membership/admission.ts'
import type { Enrollment } from './enrollment.ts'

export interface AuthMessage {
  type: 'auth'
  challenge: string
  credential: string
  signature: string
  [key: string]: unknown
}

export function answerChallenge(enrollment: Enrollment, challengeText: unknown): AuthMessage {
  return answerWith({
    orgId: enrollment.anchor.orgId,
    credential: enrollment.credential,
    signingSecretKey: enrollment.keys.identity.signing.secretKey,
  }, challengeText)
}

/** The same answer from bare parts (the always-on peer has no enrollment record). */
export function answerWith(
  device: { orgId: Uint8Array; credential: Uint8Array; signingSecretKey: Uint8Array },
  challengeText: unknown,
): AuthMessage {
  let challenge: Uint8Array
  try {
    challenge = fromBase64url(String(challengeText))
  } catch {
    return fail('codec/bad-value', 'malformed challenge')
  }
  if (challenge.length !== ADMISSION_CHALLENGE_LENGTH) {
    fail('codec/bad-value', 'malformed challenge')
  }
  const signature = signAdmission(device.signingSecretKey, device.orgId, challenge)
  return {
    type: 'auth',
    challenge: base64url(challenge),
    credential: base64url(device.credential),
    signature: base64url(signature),
  }
}
