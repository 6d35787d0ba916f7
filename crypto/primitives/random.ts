// Injected randomness (STYLE habit 5): production uses the platform CSPRNG; tests pass a seeded one.

import { randomBytes as platformRandomBytes } from '@noble/hashes/utils.js'

/** Returns `n` fresh random bytes. */
export type RandomSource = (n: number) => Uint8Array

export const secureRandom: RandomSource = (n) => platformRandomBytes(n)
