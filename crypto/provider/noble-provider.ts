// The reference provider: @noble/curves X25519 and Ed25519, with injectable randomness, so every
// protocol run can be replayed from a seed.

import { ed25519 } from '@noble/curves/ed25519.js'
import { dh as nobleDh, dhPublicKey } from '../primitives/x25519.ts'
import { signingPublicKey, verifyRaw } from '../primitives/ed25519.ts'
import { type RandomSource, secureRandom } from '../primitives/random.ts'
import { fail } from '../errors/conch-error.ts'
import type { CryptoProvider } from './crypto-provider.ts'

/** Runs a sync step and hands back its result (or its throw) as a promise. */
function settle<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step())
  } catch (e) {
    return Promise.reject(e)
  }
}

export function createNobleProvider(random: RandomSource = secureRandom): CryptoProvider {
  return {
    name: 'noble',
    generateDhKeyPair: () =>
      settle(() => {
        const secretKey = random(32)
        return { secretKey, publicKey: dhPublicKey(secretKey) }
      }),
    dh: (ours, theirs) => settle(() => nobleDh(ours.secretKey, theirs)),
    generateSigningKeyPair: () =>
      settle(() => {
        const secretKey = random(32)
        return { secretKey, publicKey: signingPublicKey(secretKey) }
      }),
    signRaw: (keyPair, message) =>
      settle(() => {
        if (keyPair.secretKey.length !== 32) fail('crypto/bad-key', 'signing key length')
        return ed25519.sign(message, keyPair.secretKey)
      }),
    verifyRaw: (publicKey, message, signature) =>
      settle(() => verifyRaw(publicKey, message, signature)),
    randomBytes: (n) => random(n),
  }
}
