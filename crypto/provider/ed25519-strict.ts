// The encoding rules noble applies with `zip215: false` (RFC 8032 §5.1.3 decoding, §5.1.7
// verification), checked up front so a native verifier accepts exactly what noble accepts.

import { fromHex } from '../codec/bytes.ts'

// Group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010')
// Field prime p = 2^255 - 19, little-endian.
const P = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f')

/**
 * The canonical encodings of the eight points of small order (the torsion subgroup). A public
 * key equal to one of them verifies forged signatures for many messages, so strict mode refuses
 * it; tests/crypto/provider-compliance.test.ts checks this list against noble's isSmallOrder.
 */
export const SMALL_ORDER_ENCODINGS: readonly string[] = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
]
const smallOrder = SMALL_ORDER_ENCODINGS.map(fromHex)

/** Little-endian `a < b` over 32 bytes; `mask` clears bits of a's top byte first. */
function lessThan(a: Uint8Array, b: Uint8Array, topMask = 0xff): boolean {
  for (let i = 31; i >= 0; i--) {
    const x = i === 31 ? a[i] & topMask : a[i]
    if (x !== b[i]) return x < b[i]
  }
  return false
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false
  return true
}

/** y < p (the sign bit is not part of y) and not a small-order point. */
export function isStrictEd25519PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32 || !lessThan(publicKey, P, 0x7f)) return false
  return !smallOrder.some((s) => sameBytes(s, publicKey))
}

/** R has a canonical y and S < L (RFC 8032 §5.1.7 step 1). */
export function isCanonicalEd25519Signature(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false
  return lessThan(signature.subarray(0, 32), P, 0x7f) && lessThan(signature.subarray(32), L)
}
