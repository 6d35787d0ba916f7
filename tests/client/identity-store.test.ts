// The device's secret keys at rest: sealed under the storage key the device lock wraps, so a
// locked (or stolen) device's database holds only public values. Runs on fake-indexeddb.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { createInvite } from '../../crypto/membership/invitation.ts'
import { localSealer } from '../../client/membership/device-lock.ts'
import { startEnrollment } from '../../client/membership/enrollment.ts'
import { dexieIdentityStore } from '../../client/membership/identity-store.ts'
import { seededRandom } from './seeded-random.ts'

const random = seededRandom(42)
const anchor = { orgId: new Uint8Array(16).fill(1), rootPublicKey: new Uint8Array(32).fill(2) }
const invite = createInvite(
  anchor,
  ['https://signal.example.org'],
  { maxUses: 1, expiresAt: 2e12 },
  random,
)

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

/** Every byte array reachable from a stored row, concatenated: what a thief reads off the disk. */
function rawBytes(value: unknown, out: number[] = []): Uint8Array {
  if (value instanceof Uint8Array) out.push(...value)
  else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) rawBytes(v, out)
  }
  return new Uint8Array(out)
}

async function readRawRow(indexedDB: IDBFactory, name: string): Promise<unknown> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  return new Promise((resolve, reject) => {
    const req = db.transaction('enrollment').objectStore('enrollment').get('self')
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

describe('identity store', () => {
  it('keeps the secret keys sealed on disk and gives them back only once unlocked', async () => {
    const indexedDB = new IDBFactory()
    const storageKey = random(32)
    let unlocked = true
    const sealer = () => (unlocked ? localSealer(storageKey, random) : undefined)
    const store = dexieIdentityStore(sealer, 'device-a', { indexedDB, IDBKeyRange })
    const pending = startEnrollment(invite, 'Ana', random, 1e12)
    await store.savePending(pending)

    const disk = rawBytes(await readRawRow(indexedDB, 'device-a'))
    expect(contains(disk, pending.keys.identity.signing.secretKey)).toBe(false)
    expect(contains(disk, pending.keys.identity.dh.secretKey)).toBe(false)
    expect(contains(disk, pending.keys.identity.signing.publicKey)).toBe(true)

    // After a reload the store hands out only the public view.
    const loaded = (await store.load()).pending!
    expect(loaded.keys.identity.signing.secretKey.length).toBe(0)
    // Completing the enrollment from that view keeps the sealed secrets.
    const enrollment = { ...loaded, credential: new Uint8Array([1]), userId: 'ana' }
    await store.saveEnrollment(enrollment)
    const full = await store.unsealEnrollment((await store.load()).enrollment!)
    expect(full.keys.identity.signing.secretKey).toEqual(pending.keys.identity.signing.secretKey)
    expect(full.keys.identity.dh.secretKey).toEqual(pending.keys.identity.dh.secretKey)

    unlocked = false
    const locked = await store.unsealEnrollment(enrollment).catch((e) => e)
    expect(isConchError(locked, 'storage/locked')).toBe(true)
  })

  it('a wrong storage key cannot unseal the keys', async () => {
    const indexedDB = new IDBFactory()
    const good = dexieIdentityStore(() => localSealer(random(32), random), 'device-b', {
      indexedDB,
      IDBKeyRange,
    })
    const pending = startEnrollment(invite, 'Ben', random, 1e12)
    await good.savePending(pending)
    const thief = dexieIdentityStore(() => localSealer(random(32), random), 'device-b', {
      indexedDB,
      IDBKeyRange,
    })
    const enrollment = {
      ...(await thief.load()).pending!,
      credential: new Uint8Array([1]),
      userId: 'ben',
    }
    const error = await thief.unsealEnrollment(enrollment).catch((e) => e)
    expect(isConchError(error, 'crypto/auth-failed')).toBe(true)
  })
})
