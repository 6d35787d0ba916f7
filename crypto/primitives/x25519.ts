// X25519 key agreement (RFC 7748 §5), rejecting all-zero outputs (low-order peer keys, §6.1).

import { x25519 } from '@noble/curves/ed25519.js'
import { fail } from '../errors/conch-error.ts'
import { type RandomSource, secureRandom } from './random.ts'

export const DH_KEY_LENGTH = 32

export interface DhKeyPair {
  secretKey: Uint8Array
  publicKey: Uint8Array
}

export function generateDhKeyPair(random: RandomSource = secureRandom): DhKeyPair {
  const secretKey = random(DH_KEY_LENGTH)
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) }
}

export function dhPublicKey(secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== DH_KEY_LENGTH) fail('crypto/bad-key', 'dh key length')
  return x25519.getPublicKey(secretKey)
}

/** X25519(secret, public); a low-order public key (all-zero result) is `crypto/low-order`. */
export function dh(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (secretKey.length !== DH_KEY_LENGTH || publicKey.length !== DH_KEY_LENGTH) {
    fail('crypto/bad-key', 'dh key length')
  }
  let shared: Uint8Array
  try {
    shared = x25519.getSharedSecret(secretKey, publicKey)
  } catch {
    return fail('crypto/low-order', 'low-order public key')
  }
  let acc = 0
  for (const b of shared) acc |= b
  if (acc === 0) fail('crypto/low-order', 'low-order public key')
  return shared
}
