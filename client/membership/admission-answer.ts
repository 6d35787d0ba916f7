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
  let challenge: Uint8Array
  try {
    challenge = fromBase64url(String(challengeText))
  } catch {
    return fail('codec/bad-value', 'malformed challenge')
  }
  if (challenge.length !== ADMISSION_CHALLENGE_LENGTH) {
    fail('codec/bad-value', 'malformed challenge')
  }
  const signature = signAdmission(
    enrollment.keys.identity.signing.secretKey,
    enrollment.anchor.orgId,
    challenge,
  )
  return {
    type: 'auth',
    challenge: base64url(challenge),
    credential: base64url(enrollment.credential),
    signature: base64url(signature),
  }
}
