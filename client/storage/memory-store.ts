// In-memory EnvelopeStore (sealed like the real one) for unit tests and for an always-on peer
// without a disk. Pass the RawStore to survive a simulated restart.

import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { EnvelopeStore } from './envelope-store.ts'
import { memoryRawStore } from './memory-raw-store.ts'
import type { RawStore } from './raw-store.ts'
import { sealedStore } from './sealed-store.ts'

/** A fixed key for tests and development only; real devices pass their storage key. */
export const DEV_STORAGE_KEY = new Uint8Array(32)

export function memoryStore(
  raw: RawStore = memoryRawStore(),
  storageKey: Uint8Array = DEV_STORAGE_KEY,
  random?: RandomSource,
): EnvelopeStore {
  return sealedStore(raw, storageKey, random)
}
