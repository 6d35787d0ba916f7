// Passkeys with the WebAuthn PRF extension: the authenticator returns HMAC(its credential secret,
// salt), a 32-byte secret that never leaves this origin and exists only after user verification.
// It wraps the device storage key (client/membership/device-lock.ts, kind 2).

import { fail } from '../../crypto/errors/conch-error.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import { PRF_SALT_LENGTH } from '../membership/device-lock.ts'

/** WebAuthn wants ArrayBuffer-backed views; a RandomSource may return any Uint8Array. */
const buffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes)

interface PrfResults {
  prf?: { enabled?: boolean; results?: { first?: ArrayBuffer } }
}

export function passkeysAvailable(): boolean {
  return typeof PublicKeyCredential === 'function' && !!navigator.credentials
}

/** Evaluates the PRF of an existing credential for `salt` (asks for the user's verification). */
export async function evaluatePasskeyPrf(
  credentialId: Uint8Array,
  salt: Uint8Array,
  random: RandomSource,
): Promise<Uint8Array> {
  const assertion = await navigator.credentials.get({
    publicKey: {
      challenge: buffer(random(32)),
      allowCredentials: [{ type: 'public-key', id: buffer(credentialId) }],
      userVerification: 'required',
      extensions: { prf: { eval: { first: salt } } } as AuthenticationExtensionsClientInputs,
    },
  }) as PublicKeyCredential | null
  const output = (assertion?.getClientExtensionResults() as PrfResults | undefined)?.prf?.results
    ?.first
  if (!output) fail('storage/locked', 'the passkey gave no PRF output')
  return new Uint8Array(output)
}

/** Creates a passkey for this device and returns its id, a fresh salt and the PRF output. */
export async function createPasskeyWithPrf(
  displayName: string,
  random: RandomSource,
): Promise<{ credentialId: Uint8Array; salt: Uint8Array; prfOutput: Uint8Array }> {
  const salt = random(PRF_SALT_LENGTH)
  const credential = await navigator.credentials.create({
    publicKey: {
      rp: { name: 'Conch', id: location.hostname },
      user: { id: buffer(random(16)), name: displayName, displayName },
      challenge: buffer(random(32)),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      extensions: { prf: { eval: { first: salt } } } as AuthenticationExtensionsClientInputs,
    },
  }) as PublicKeyCredential | null
  if (!credential) return fail('io/failed', 'no passkey was created')
  const credentialId = new Uint8Array(credential.rawId)
  const prf = (credential.getClientExtensionResults() as PrfResults).prf
  if (!prf?.enabled && !prf?.results?.first) fail('io/failed', 'this passkey has no PRF support')
  // Some authenticators only evaluate the PRF on get(), not at creation.
  const prfOutput = prf.results?.first
    ? new Uint8Array(prf.results.first)
    : await evaluatePasskeyPrf(credentialId, salt, random)
  return { credentialId, salt, prfOutput }
}
