// UI state slice for the device lock: locked until the passphrase unwraps the storage key, and the
// settings action that sets or changes the passphrase (client/membership/device-lock.ts).

import { type Accessor, createSignal } from 'solid-js'
import { isConchError } from '../../../crypto/errors/conch-error.ts'
import type { RandomSource } from '../../../crypto/primitives/random.ts'
import {
  decodeDeviceLock,
  type DeviceLockRecord,
  encodeDeviceLock,
  LOCK_NONE,
  LOCK_SCRYPT,
  lockWithPassphrase,
  MIN_PASSPHRASE_LENGTH,
  newStorageKey,
  type ScryptParams,
  unlockDevice,
} from '../../membership/device-lock.ts'

/** Where the lock record lives (localStorage in the browser). */
export interface LockRecordStorage {
  load(): Uint8Array | undefined
  save(bytes: Uint8Array): void
}

export type LockState = 'locked' | 'unlocking' | 'unlocked'

export interface LockStore {
  state: Accessor<LockState>
  hasPassphrase: Accessor<boolean>
  /** Set after a failed attempt. */
  wrong: Accessor<boolean>
  /** The storage key once unlocked. */
  storageKey(): Uint8Array | undefined
  unlock(passphrase: string): Promise<boolean>
  setPassphrase(passphrase: string): Promise<'saved' | 'too-short'>
}

export function createLockStore(
  storage: LockRecordStorage,
  random: RandomSource,
  params?: ScryptParams,
): LockStore {
  let record: DeviceLockRecord | undefined
  const stored = storage.load()
  if (stored) {
    try {
      record = decodeDeviceLock(stored)
    } catch {
      // A damaged record cannot be guessed around: the data it protected is unreadable anyway.
      record = undefined
    }
  }
  if (!record) {
    record = { kind: LOCK_NONE, storageKey: newStorageKey(random) }
    storage.save(encodeDeviceLock(record))
  }
  let key: Uint8Array | undefined = record.kind === LOCK_NONE ? record.storageKey : undefined
  const [state, setState] = createSignal<LockState>(key ? 'unlocked' : 'locked')
  const [hasPassphrase, setHasPassphrase] = createSignal(record.kind === LOCK_SCRYPT)
  const [wrong, setWrong] = createSignal(false)
  return {
    state,
    hasPassphrase,
    wrong,
    storageKey: () => key,
    async unlock(passphrase) {
      setState('unlocking')
      try {
        key = await unlockDevice(record!, passphrase)
        setWrong(false)
        setState('unlocked')
        return true
      } catch (e) {
        if (!isConchError(e, 'storage/locked')) throw e
        setWrong(true)
        setState('locked')
        return false
      }
    },
    async setPassphrase(passphrase) {
      if (!key) throw new Error('unlock first')
      if (passphrase.length < MIN_PASSPHRASE_LENGTH) return 'too-short'
      record = await lockWithPassphrase(key, passphrase, random, params)
      storage.save(encodeDeviceLock(record))
      setHasPassphrase(true)
      return 'saved'
    },
  }
}
