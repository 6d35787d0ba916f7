// Deterministic RandomSource for replayable tests (never for keys outside tests).
import type { RandomSource } from '../../crypto/primitives/random.ts'

export function seededRandom(seed: number): RandomSource {
  let s = seed >>> 0 || 1
  return (n) => {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      // xorshift32
      s ^= s << 13
      s >>>= 0
      s ^= s >>> 17
      s ^= s << 5
      s >>>= 0
      out[i] = s & 0xff
    }
    return out
  }
}
