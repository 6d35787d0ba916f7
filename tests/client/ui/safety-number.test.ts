// Safety numbers: both devices compute the same 60 digits; any key change changes them; the fast
// path agrees with a reference written against node:crypto's SHA-512.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  displayableFingerprint,
  safetyNumber,
  safetyNumberGroups,
  type VerifiableIdentity,
} from '../../../client/ui/verification/safety-number.ts'
import { seededRandom } from '../seeded-random.ts'

const random = seededRandom(7)
const device = (): VerifiableIdentity => ({
  deviceId: random(16),
  signingPublicKey: random(32),
  identityDhPublicKey: random(32),
})

/** libsignal's NumericFingerprintGenerator, version 0, written out plainly. */
function referenceFingerprint(d: VerifiableIdentity, iterations: number): string {
  const key = Buffer.concat([d.signingPublicKey, d.identityDhPublicKey])
  let hash: Buffer = Buffer.concat([Buffer.from([0, 0]), key, d.deviceId])
  for (let i = 0; i < iterations; i++) {
    hash = createHash('sha512').update(hash).update(key).digest()
  }
  let out = ''
  for (let i = 0; i < 30; i += 5) {
    out += (Number(hash.readBigUInt64BE(i) >> 24n) % 100000).toString().padStart(5, '0')
  }
  return out
}

describe('safety numbers', () => {
  it('Alice and Bob see the same 60 digits, in twelve groups of five', () => {
    const alice = device()
    const bob = device()
    const onAlice = safetyNumber(alice, bob)
    const onBob = safetyNumber(bob, alice)
    expect(onAlice).toBe(onBob)
    expect(onAlice).toMatch(/^\d{60}$/)
    expect(safetyNumberGroups(onAlice)).toHaveLength(12)
  })

  it('a man in the middle who swaps either key changes the number', () => {
    const alice = device()
    const bob = device()
    const genuine = safetyNumber(alice, bob)
    const mallory = { ...bob, identityDhPublicKey: random(32) }
    expect(safetyNumber(alice, mallory)).not.toBe(genuine)
    const mallorySigning = { ...bob, signingPublicKey: random(32) }
    expect(safetyNumber(alice, mallorySigning)).not.toBe(genuine)
  })

  it('matches the reference implementation', () => {
    for (let i = 0; i < 5; i++) {
      const d = device()
      expect(displayableFingerprint(d, 50)).toBe(referenceFingerprint(d, 50))
    }
    const d = device()
    expect(displayableFingerprint(d)).toBe(referenceFingerprint(d, 5200))
  })

  it('refuses keys of the wrong length', () => {
    expect(() => displayableFingerprint({ ...device(), signingPublicKey: random(31) })).toThrow()
  })
})
