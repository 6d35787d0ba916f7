// A seeded, replayable RandomSource for tests (STYLE habit 5): ChaCha20 keystream of the seed.

import { chacha20 } from '@noble/ciphers/chacha.js'
import type { RandomSource } from '../../crypto/primitives/random.ts'

export function seededRandom(seed: number): RandomSource {
  const key = new Uint8Array(32)
  new DataView(key.buffer).setUint32(0, seed >>> 0)
  let counter = 0
  return (n) => {
    const nonce = new Uint8Array(12)
    new DataView(nonce.buffer).setUint32(0, counter++)
    return chacha20(key, nonce, new Uint8Array(n))
  }
}
