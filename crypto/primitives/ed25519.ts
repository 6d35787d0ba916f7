// Ed25519 signatures with context labels (RFC 8032 §5.1), strict verification (zip215: false).

import { ed25519 } from '@noble/curves/ed25519.js'
import { concatBytes } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import { labelBytes } from './labels.ts'
import { type RandomSource, secureRandom } from './random.ts'

export const SIGNING_SECRET_KEY_LENGTH = 32
export const SIGNING_PUBLIC_KEY_LENGTH = 32
export const SIGNATURE_LENGTH = 64

export interface SigningKeyPair {
  secretKey: Uint8Array
  publicKey: Uint8Array
}

export function generateSigningKeyPair(random: RandomSource = secureRandom): SigningKeyPair {
  const secretKey = random(SIGNING_SECRET_KEY_LENGTH)
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) }
}

export function signingPublicKey(secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== SIGNING_SECRET_KEY_LENGTH) fail('crypto/bad-key', 'signing key length')
  return ed25519.getPublicKey(secretKey)
}

/** Signs labelBytes(context) || message. */
export function sign(secretKey: Uint8Array, context: string, message: Uint8Array): Uint8Array {
  if (secretKey.length !== SIGNING_SECRET_KEY_LENGTH) fail('crypto/bad-key', 'signing key length')
  return ed25519.sign(concatBytes(labelBytes(context), message), secretKey)
}

/** Raw RFC 8032 verify with no label (used only by the Wycheproof vectors and by `verify`). */
export function verifyRaw(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== SIGNING_PUBLIC_KEY_LENGTH || signature.length !== SIGNATURE_LENGTH) {
    return false
  }
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false })
  } catch {
    return false
  }
}

/** True only for a valid signature by `publicKey` over labelBytes(context) || message. */
export function verify(
  publicKey: Uint8Array,
  context: string,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  return verifyRaw(publicKey, concatBytes(labelBytes(context), message), signature)
}

/** Like `verify`, but throws `crypto/bad-signature` (one opaque error) when it fails. */
export function assertSignature(
  publicKey: Uint8Array,
  context: string,
  message: Uint8Array,
  signature: Uint8Array,
): void {
  if (!verify(publicKey, context, message, signature)) fail('crypto/bad-signature', 'bad signature')
}
