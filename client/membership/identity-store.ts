// Where a device keeps its enrollment and its copy of the org log (IndexedDB through Dexie, in
// its own database so the channel stores can evolve their schema independently). The device's
// secret keys are sealed under the storage key that the device lock wraps; what stays readable
// while locked is only public: org anchor, names, device id, public keys, credential.

import Dexie, { type DexieOptions, type Table } from 'dexie'
import { concatBytes } from '../../crypto/codec/bytes.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import type { DeviceKeys } from './device-keys.ts'
import type { LocalSealer } from './device-lock.ts'
import type { Enrollment, PendingEnrollment } from './enrollment.ts'

const SECRETS_LABEL = 'device-secrets'
const SECRET_LENGTH = 32

interface EnrollmentRow {
  key: 'self'
  state: 'pending' | 'enrolled'
  /** Public view: the secret keys are zero-length here. */
  pending?: PendingEnrollment
  enrollment?: Enrollment
  /** sealer.seal('device-secrets', signingSecretKey ‖ dhSecretKey). */
  sealedSecrets: Uint8Array
}

interface LogRow {
  id: string
  bytes: Uint8Array
}

class DeviceDatabase extends Dexie {
  enrollment!: Table<EnrollmentRow, string>
  orgLog!: Table<LogRow, string>
  constructor(name: string, options?: DexieOptions) {
    super(name, options)
    this.version(2).stores({ enrollment: 'key', orgLog: 'id' })
  }
}

export interface IdentityStore {
  /** Public views only (no secret keys): safe to read while the device is locked. */
  load(): Promise<{ pending?: PendingEnrollment; enrollment?: Enrollment }>
  savePending(p: PendingEnrollment): Promise<void>
  /** Seals `e`'s secrets, or keeps the sealed ones of the pending enrollment it completes. */
  saveEnrollment(e: Enrollment): Promise<void>
  /** The enrollment with its secret keys, once the device is unlocked (`storage/locked` before). */
  unsealEnrollment(e: Enrollment): Promise<Enrollment>
  loadOrgLog(): Promise<Uint8Array[]>
  saveOrgEntries(entries: { id: string; bytes: Uint8Array }[]): Promise<void>
  /** Remote wipe and "leave": erase every key and the log. */
  erase(): Promise<void>
}

function hasSecrets(keys: DeviceKeys): boolean {
  return keys.identity.signing.secretKey.length === SECRET_LENGTH &&
    keys.identity.dh.secretKey.length === SECRET_LENGTH
}

function publicKeys(keys: DeviceKeys): DeviceKeys {
  return {
    deviceId: keys.deviceId,
    identity: {
      signing: { publicKey: keys.identity.signing.publicKey, secretKey: new Uint8Array(0) },
      dh: { publicKey: keys.identity.dh.publicKey, secretKey: new Uint8Array(0) },
    },
  }
}

/** `sealer()` returns the storage-key sealer while the device is unlocked, else undefined. */
export function dexieIdentityStore(
  sealer: () => LocalSealer | undefined,
  name = 'conch-device',
  /** Another IndexedDB implementation (unit tests pass fake-indexeddb). */
  options?: DexieOptions,
): IdentityStore {
  const db = new DeviceDatabase(name, options)
  const unlocked = () => sealer() ?? fail('storage/locked', 'unlock the device first')
  const seal = (keys: DeviceKeys) =>
    unlocked().seal(
      SECRETS_LABEL,
      concatBytes(keys.identity.signing.secretKey, keys.identity.dh.secretKey),
    )
  return {
    async load() {
      const row = await db.enrollment.get('self')
      return { pending: row?.pending, enrollment: row?.enrollment }
    },
    async savePending(pending) {
      const sealedSecrets = seal(pending.keys)
      await db.enrollment.put({
        key: 'self',
        state: 'pending',
        pending: { ...pending, keys: publicKeys(pending.keys) },
        sealedSecrets,
      })
    },
    async saveEnrollment(enrollment) {
      const sealedSecrets = hasSecrets(enrollment.keys)
        ? seal(enrollment.keys)
        : (await db.enrollment.get('self'))?.sealedSecrets ??
          fail('storage/corrupt', 'no sealed keys for this device')
      await db.enrollment.put({
        key: 'self',
        state: 'enrolled',
        enrollment: { ...enrollment, keys: publicKeys(enrollment.keys) },
        sealedSecrets,
      })
    },
    async unsealEnrollment(enrollment) {
      const row = await db.enrollment.get('self')
      if (!row?.sealedSecrets) {
        // A record from before keys were sealed: seal it now and carry on.
        const legacy = row?.enrollment
        if (!legacy || !hasSecrets(legacy.keys)) fail('storage/corrupt', 'no sealed keys')
        await this.saveEnrollment(legacy)
        return { ...enrollment, keys: legacy.keys }
      }
      const secrets = unlocked().open(SECRETS_LABEL, row.sealedSecrets)
      if (secrets.length !== 2 * SECRET_LENGTH) fail('storage/corrupt', 'sealed keys damaged')
      const keys = enrollment.keys
      return {
        ...enrollment,
        keys: {
          deviceId: keys.deviceId,
          identity: {
            signing: {
              publicKey: keys.identity.signing.publicKey,
              secretKey: secrets.slice(0, SECRET_LENGTH),
            },
            dh: { publicKey: keys.identity.dh.publicKey, secretKey: secrets.slice(SECRET_LENGTH) },
          },
        },
      }
    },
    async loadOrgLog() {
      return (await db.orgLog.toArray()).map((r) => r.bytes)
    },
    async saveOrgEntries(entries) {
      await db.orgLog.bulkPut(entries)
    },
    async erase() {
      await db.delete()
    },
  }
}
