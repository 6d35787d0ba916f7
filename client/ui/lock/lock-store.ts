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
  LOCK_PASSKEY,
  LOCK_SCRYPT,
  lockWithPasskey,
  lockWithPassphrase,
  MIN_PASSPHRASE_LENGTH,
  newStorageKey,
  type ScryptParams,
  unlockDevice,
  unlockWithPasskey,
} from '../../membership/device-lock.ts'

/** The browser's passkeys with the PRF extension (client/browser/passkey.ts). */
export interface PasskeyPort {
  available(): boolean
  create(displayName: string): Promise<{
    credentialId: Uint8Array
    salt: Uint8Array
    prfOutput: Uint8Array
  }>
  evaluate(credentialId: Uint8Array, salt: Uint8Array): Promise<Uint8Array>
}

/** Where the lock record lives (localStorage in the browser). */
export interface LockRecordStorage {
  load(): Uint8Array | undefined
  save(bytes: Uint8Array): void
}

export type LockState = 'locked' | 'unlocking' | 'unlocked'

export interface LockStore {
  state: Accessor<LockState>
  hasPassphrase: Accessor<boolean>
  /** The key is wrapped by a passkey (PRF): unlock asks the authenticator. */
  hasPasskey: Accessor<boolean>
  passkeysAvailable(): boolean
  /** Set after a failed attempt. */
  wrong: Accessor<boolean>
  /** The storage key once unlocked. */
  storageKey(): Uint8Array | undefined
  unlock(passphrase: string): Promise<boolean>
  setPassphrase(passphrase: string): Promise<'saved' | 'too-short'>
  unlockWithPasskey(): Promise<boolean>
  /** Replaces the lock with a new passkey; 'failed' when the browser or authenticator refused. */
  usePasskey(displayName: string): Promise<'saved' | 'failed'>
}

export function createLockStore(
  storage: LockRecordStorage,
  random: RandomSource,
  params?: ScryptParams,
  passkeys?: PasskeyPort,
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
  const [hasPasskey, setHasPasskey] = createSignal(record.kind === LOCK_PASSKEY)
  const [wrong, setWrong] = createSignal(false)
  return {
    state,
    hasPassphrase,
    hasPasskey,
    passkeysAvailable: () => passkeys?.available() ?? false,
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
      setHasPasskey(false)
      return 'saved'
    },
    async unlockWithPasskey() {
      const r = record!
      if (r.kind !== LOCK_PASSKEY || !passkeys) return false
      setState('unlocking')
      try {
        key = unlockWithPasskey(r, await passkeys.evaluate(r.credentialId, r.salt))
        setWrong(false)
        setState('unlocked')
        return true
      } catch {
        // Cancelled, another authenticator, or a wrong output: stay locked.
        setWrong(true)
        setState('locked')
        return false
      }
    },
    async usePasskey(displayName) {
      if (!key) throw new Error('unlock first')
      if (!passkeys?.available()) return 'failed'
      try {
        const made = await passkeys.create(displayName)
        record = lockWithPasskey(key, made.credentialId, made.salt, made.prfOutput, random)
        // Prove the new lock opens before it replaces the old one.
        unlockWithPasskey(record, made.prfOutput)
      } catch {
        return 'failed'
      }
      storage.save(encodeDeviceLock(record))
      setHasPasskey(true)
      setHasPassphrase(false)
      return 'saved'
    },
  }
}
