// EnvelopeStore on IndexedDB through Dexie, sealed at rest with the device storage key.

import type { EnvelopeStore } from './envelope-store.ts'
import { dexieRawStore } from './dexie-raw-store.ts'
import { DEV_STORAGE_KEY } from './memory-store.ts'
import { sealedStore } from './sealed-store.ts'

/**
 * `storageKey` comes from the device's unlock (identity/lock code); until the browser path
 * passes one, the development key is used and the at-rest encryption protects nothing.
 */
export function dexieStore(
  name = 'conch',
  storageKey: Uint8Array = DEV_STORAGE_KEY,
): EnvelopeStore {
  return sealedStore(dexieRawStore(name), storageKey)
}
