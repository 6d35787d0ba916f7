// Verification records: Ben verifies Ana on his device, the mark survives a reload, and it lapses
// the moment Ana's device shows other keys; damaged storage means "nothing verified".
import { describe, expect, it } from 'vitest'
import {
  createVerifiedDevicesStore,
  identityKeyHex,
  isVerified,
  markVerified,
  parseVerifiedRecords,
  VERIFIED_RECORD,
} from '../../../client/ui/verification/verified-devices.ts'
import { toHex } from '../../../crypto/codec/bytes.ts'
import { seededRandom } from '../seeded-random.ts'

const random = seededRandom(23)
const peer = () => {
  const deviceId = random(16)
  return {
    device: toHex(deviceId),
    deviceId,
    signingPublicKey: random(32),
    identityDhPublicKey: random(32),
  }
}

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial))
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  }
}

describe('verified devices', () => {
  it('Ben marks Ana verified; after a reload she still is, and Cleo never was', () => {
    const ana = peer()
    const cleo = peer()
    const storage = memoryStorage()
    const store = createVerifiedDevicesStore(storage, () => 1_700_000_000_000)
    expect(store.isVerified(ana)).toBe(false)
    store.mark(ana, 'scanned')
    expect(store.isVerified(ana)).toBe(true)
    const reloaded = createVerifiedDevicesStore(storage)
    expect(reloaded.isVerified(ana)).toBe(true)
    expect(reloaded.isVerified(cleo)).toBe(false)
    expect(reloaded.records()[ana.device]).toEqual({
      key: identityKeyHex(ana),
      method: 'scanned',
      at: 1_700_000_000_000,
    })
  })

  it('a changed signing or identity key un-verifies Ana; clearing forgets her', () => {
    const ana = peer()
    const records = markVerified({}, ana, 'compared', 1)
    expect(isVerified(records, ana)).toBe(true)
    expect(isVerified(records, { ...ana, identityDhPublicKey: random(32) })).toBe(false)
    expect(isVerified(records, { ...ana, signingPublicKey: random(32) })).toBe(false)
    const store = createVerifiedDevicesStore(memoryStorage())
    store.mark(ana, 'compared')
    store.clear(ana)
    expect(store.isVerified(ana)).toBe(false)
  })

  it('damaged or hostile storage is read as nothing verified, record by record', () => {
    const ana = peer()
    const good = { key: identityKeyHex(ana), method: 'scanned', at: 5 }
    for (const text of [null, '', '{', '[]', 'null', '42', '"x"']) {
      expect(parseVerifiedRecords(text)).toEqual({})
    }
    const parsed = parseVerifiedRecords(JSON.stringify({
      [ana.device]: good,
      ['f'.repeat(31)]: good,
      ['__proto__']: good,
      ['a'.repeat(32)]: { ...good, key: 'zz' },
      ['b'.repeat(32)]: { ...good, method: 'guessed' },
      ['c'.repeat(32)]: { ...good, at: -1 },
      ['d'.repeat(32)]: 'verified',
    }))
    expect(parsed).toEqual({ [ana.device]: good })
    const store = createVerifiedDevicesStore(memoryStorage({ [VERIFIED_RECORD]: '{broken' }))
    expect(store.isVerified(ana)).toBe(false)
  })
})
