// Safety numbers, Signal style (libsignal NumericFingerprintGenerator, version 0): each device's
// public identity is hashed 5200 times with SHA-512; 30 bytes become six 5-digit groups; the two
// halves are sorted so both devices show the same 60 digits. Equal numbers on both screens mean
// both sides hold each other's real keys, so no one can sit in the middle.

import { sha512 } from '@noble/hashes/sha2.js'
import { concatBytes } from '../../../crypto/codec/bytes.ts'

export const SAFETY_NUMBER_ITERATIONS = 5200
const FINGERPRINT_VERSION = new Uint8Array([0, 0])

export interface VerifiableIdentity {
  /** Stable identifier of the device (its 16-byte device id). */
  deviceId: Uint8Array
  signingPublicKey: Uint8Array
  identityDhPublicKey: Uint8Array
}

function identityKey(d: VerifiableIdentity): Uint8Array {
  if (d.signingPublicKey.length !== 32 || d.identityDhPublicKey.length !== 32) {
    throw new RangeError('identity keys must be 32 bytes')
  }
  return concatBytes(d.signingPublicKey, d.identityDhPublicKey)
}

/** One side's 30 digits. */
export function displayableFingerprint(
  d: VerifiableIdentity,
  iterations = SAFETY_NUMBER_ITERATIONS,
): string {
  const key = identityKey(d)
  let hash = concatBytes(FINGERPRINT_VERSION, key, d.deviceId)
  for (let i = 0; i < iterations; i++) hash = sha512(concatBytes(hash, key))
  let out = ''
  for (let chunk = 0; chunk < 6; chunk++) {
    let n = 0
    // 5 bytes big-endian fit in a double exactly (40 bits).
    for (let b = 0; b < 5; b++) n = n * 256 + hash[chunk * 5 + b]
    out += String(n % 100000).padStart(5, '0')
  }
  return out
}

/** The 60-digit safety number of a pair of devices; symmetric in its arguments. */
export function safetyNumber(
  a: VerifiableIdentity,
  b: VerifiableIdentity,
  iterations = SAFETY_NUMBER_ITERATIONS,
): string {
  const fa = displayableFingerprint(a, iterations)
  const fb = displayableFingerprint(b, iterations)
  return fa < fb ? fa + fb : fb + fa
}

/** 60 digits as twelve groups of five, the way people read them aloud. */
export function safetyNumberGroups(digits: string): string[] {
  return digits.match(/\d{5}/g) ?? []
}
