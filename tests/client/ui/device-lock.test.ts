// The device lock: the passphrase unwraps the storage key and nothing else does; the record's
// grammar is strict (docs/protocol/device-lock.md).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isConchError } from '../../../crypto/errors/conch-error.ts'
import {
  decodeDeviceLock,
  encodeDeviceLock,
  localSealer,
  LOCK_NONE,
  LOCK_PASSKEY,
  LOCK_SCRYPT,
  lockWithPasskey,
  lockWithPassphrase,
  newStorageKey,
  unlockDevice,
  unlockWithPasskey,
} from '../../../client/membership/device-lock.ts'
import { seededRandom } from '../seeded-random.ts'

const FAST = { logN: 10, r: 8, p: 1 }
const random = seededRandom(11)

const code = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    return isConchError(e) ? e.code : String(e)
  }
  return 'no error'
}

describe('device lock', () => {
  it('the passphrase unwraps the storage key after a round trip through storage', async () => {
    const key = newStorageKey(random)
    const record = await lockWithPassphrase(key, 'tide pool lantern', random, FAST)
    const stored = encodeDeviceLock(record)
    expect(stored[0]).toBe(1)
    expect(stored[1]).toBe(LOCK_SCRYPT)
    expect(await unlockDevice(decodeDeviceLock(stored), 'tide pool lantern')).toEqual(key)
  })

  it('a wrong passphrase is one opaque storage/locked', async () => {
    const record = await lockWithPassphrase(
      newStorageKey(random),
      'tide pool lantern',
      random,
      FAST,
    )
    expect(await code(unlockDevice(record, 'tide pool lanterN'))).toBe('storage/locked')
  })

  it('a tampered header (weaker scrypt parameters) does not unlock', async () => {
    const stored = encodeDeviceLock(
      await lockWithPassphrase(newStorageKey(random), 'tide pool lantern', random, FAST),
    )
    stored[3] = 4 // r = 8 -> 4: the header is the AEAD's associated data
    expect(await code(unlockDevice(decodeDeviceLock(stored), 'tide pool lantern'))).toBe(
      'storage/locked',
    )
  })

  it('without a passphrase the key is kept as is', async () => {
    const key = newStorageKey(random)
    const stored = encodeDeviceLock({ kind: LOCK_NONE, storageKey: key })
    expect(stored.length).toBe(34)
    expect(await unlockDevice(decodeDeviceLock(stored), '')).toEqual(key)
  })

  it('short passphrases and absurd scrypt parameters are refused', async () => {
    expect(await code(lockWithPassphrase(newStorageKey(random), 'short', random, FAST))).toBe(
      'codec/bad-value',
    )
    expect(
      await code(lockWithPassphrase(newStorageKey(random), 'long enough', random, {
        logN: 30,
        r: 8,
        p: 1,
      })),
    ).toBe('storage/corrupt')
  })

  it('decoding is strict: version, kind, truncation and trailing bytes', async () => {
    const good = encodeDeviceLock(
      await lockWithPassphrase(newStorageKey(random), 'tide pool lantern', random, FAST),
    )
    expect(await code(() => decodeDeviceLock(Uint8Array.of(2, ...good.subarray(1))))).toBe(
      'codec/bad-version',
    )
    expect(await code(() => decodeDeviceLock(Uint8Array.of(1, 7, ...good.subarray(2))))).toBe(
      'codec/bad-type',
    )
    expect(await code(() => decodeDeviceLock(good.subarray(0, good.length - 1)))).toBe(
      'codec/truncated',
    )
    expect(await code(() => decodeDeviceLock(Uint8Array.of(...good, 0)))).toBe(
      'codec/trailing-bytes',
    )
  })

  it('decode(encode(x)) = x, and arbitrary bytes never throw anything but a ConchError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        const record = { kind: LOCK_NONE, storageKey: key } as const
        expect(decodeDeviceLock(encodeDeviceLock(record))).toEqual(record)
      }),
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        try {
          decodeDeviceLock(bytes)
        } catch (e) {
          expect(isConchError(e)).toBe(true)
        }
      }),
    )
  })

  it('a passkey PRF output unwraps the key; another output, or a passphrase, does not', async () => {
    const key = newStorageKey(random)
    const prf = random(32)
    const record = lockWithPasskey(key, random(20), random(32), prf, random)
    const stored = encodeDeviceLock(record)
    expect([stored[0], stored[1], stored[2]]).toEqual([1, LOCK_PASSKEY, 20])
    expect(stored.length).toBe(3 + 20 + 32 + 24 + 48)
    const decoded = decodeDeviceLock(stored)
    expect(unlockWithPasskey(decoded, prf)).toEqual(key)
    expect(await code(() => unlockWithPasskey(decoded, random(32)))).toBe('storage/locked')
    expect(await code(unlockDevice(decoded, 'any passphrase'))).toBe('storage/locked')
    // The credential id is in the associated data: swapping it breaks the unwrap.
    const swapped = Uint8Array.from(stored)
    swapped[3] ^= 1
    expect(await code(() => unlockWithPasskey(decodeDeviceLock(swapped), prf))).toBe(
      'storage/locked',
    )
    expect(await code(() => decodeDeviceLock(Uint8Array.of(1, LOCK_PASSKEY, 0)))).toBe(
      'codec/bad-value',
    )
  })

  it('local records sealed under the key open only under that key and label', () => {
    const key = newStorageKey(random)
    const sealer = localSealer(key, random)
    const sealed = sealer.seal('conch-channels', new TextEncoder().encode('[]'))
    expect(new TextDecoder().decode(sealer.open('conch-channels', sealed))).toBe('[]')
    expect(() => sealer.open('conch-signed-prekey', sealed)).toThrow()
    expect(() => localSealer(newStorageKey(random), random).open('conch-channels', sealed))
      .toThrow()
  })
})
