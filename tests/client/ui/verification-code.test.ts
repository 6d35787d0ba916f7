// The verification QR code: what it carries (a versioned safety number), how a scanned text is
// judged against this device's own number, and that the drawn code reads back through jsQR.
import jsQR from 'jsqr'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { qrModules } from '../../../client/ui/verification/qr-modules.ts'
import { safetyNumber } from '../../../client/ui/verification/safety-number.ts'
import {
  compareScannedCode,
  encodeVerificationCode,
  readVerificationCode,
} from '../../../client/ui/verification/verification-code.ts'
import { seededRandom } from '../seeded-random.ts'
import { drawQr, toRgba } from './qr-image.ts'

const random = seededRandom(11)
const device = () => ({
  deviceId: random(16),
  signingPublicKey: random(32),
  identityDhPublicKey: random(32),
})
const digits60 = fc.stringMatching(/^\d{60}$/)

describe('verification code', () => {
  const alice = device()
  const bob = device()
  const number = safetyNumber(alice, bob, 10)

  it('Bob scans the code on Alice’s screen and sees that it matches his own number', () => {
    const shownByAlice = encodeVerificationCode(safetyNumber(alice, bob, 10))
    expect(shownByAlice).toBe(`CONCH1:${number}`)
    expect(compareScannedCode(shownByAlice, safetyNumber(bob, alice, 10))).toBe('match')
  })

  it('a man in the middle gives Bob another key for Alice: the scan is a mismatch', () => {
    const mallory = { ...alice, identityDhPublicKey: random(32) }
    const shownByAlice = encodeVerificationCode(number)
    expect(compareScannedCode(shownByAlice, safetyNumber(bob, mallory, 10))).toBe('mismatch')
  })

  it('reads the 60 bare digits older clients drew as version 0', () => {
    expect(readVerificationCode(number)).toEqual({
      kind: 'safety-number',
      version: 0,
      digits: number,
    })
    expect(compareScannedCode(number, number)).toBe('match')
  })

  it('refuses a later version instead of guessing at its body', () => {
    expect(compareScannedCode(`CONCH2:${number}`, number)).toBe('unsupported-version')
    expect(readVerificationCode('CONCH9999:anything')).toEqual({
      kind: 'unsupported-version',
      version: 9999,
    })
  })

  it('anything else is not a safety code: menus, links, damaged or padded digits', () => {
    for (
      const text of [
        '',
        'https://example.org/menu',
        `CONCH1:${number.slice(1)}`,
        `CONCH1:${number}0`,
        `CONCH1: ${number}`,
        `conch1:${number}`,
        `CONCH01:${number}`,
        `CONCH1:${number}\n`,
        ` ${number}`,
        `CONCH1:${'x'.repeat(500)}`,
      ]
    ) {
      expect(compareScannedCode(text, number), JSON.stringify(text)).toBe('not-a-safety-code')
    }
  })

  it('encode and read are inverse for every 60-digit number', () => {
    fc.assert(
      fc.property(digits60, (n) => {
        const read = readVerificationCode(encodeVerificationCode(n))
        expect(read).toEqual({ kind: 'safety-number', version: 1, digits: n })
      }),
      { seed: 7 },
    )
  })

  it('a number one digit off never matches', () => {
    fc.assert(
      fc.property(digits60, fc.nat(59), (n, i) => {
        const off = n.slice(0, i) + String((Number(n[i]) + 1) % 10) + n.slice(i + 1)
        expect(compareScannedCode(encodeVerificationCode(off), n)).toBe('mismatch')
      }),
      { seed: 8 },
    )
  })

  it('refuses to encode or compare against anything but 60 digits', () => {
    expect(() => encodeVerificationCode('123')).toThrow(RangeError)
    expect(() => compareScannedCode('CONCH1:1', 'abc')).toThrow(RangeError)
  })

  it('the drawn code is small enough for a phone and reads back through jsQR', () => {
    const text = encodeVerificationCode(number)
    const modules = qrModules(text)
    // Alphanumeric mode keeps it at version 4 (33 modules), as large as the digits alone need.
    expect(modules.size).toBeLessThanOrEqual(33)
    const image = drawQr(modules, 400, 400, 8)
    const read = jsQR(toRgba(image), image.width, image.height)
    expect(read?.data).toBe(text)
    expect(compareScannedCode(read!.data, number)).toBe('match')
  })
})
