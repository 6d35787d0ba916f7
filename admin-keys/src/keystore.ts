// The encrypted root keystore: passphrase -> scrypt (parameters recorded in the file) ->
// XChaCha20-Poly1305 over the root secret key, with the header as associated data
// (docs/protocol/membership.md §12).

import { scrypt } from '@noble/hashes/scrypt.js'
import { equalBytes, utf8, wipe } from '../../crypto/codec/bytes.ts'
import { Reader } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { ConchError, fail, isConchError } from '../../crypto/errors/conch-error.ts'
import { open, seal } from '../../crypto/primitives/aead.ts'
import { signingPublicKey } from '../../crypto/primitives/ed25519.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { OrgAnchor } from '../../crypto/membership/index.ts'

export const KEYSTORE_VERSION = 1
export const KDF_SCRYPT = 1
const SALT_LENGTH = 16
const NONCE_LENGTH = 24
const SECRET_VERSION = 1

export interface ScryptParams {
  logN: number
  r: number
  p: number
}

/** Strong default: N = 2^17, r = 8, p = 1 (128 MiB, about a second). */
export const DEFAULT_SCRYPT: ScryptParams = { logN: 17, r: 8, p: 1 }

/** Bounds checked on write and on read, so a tampered header cannot demand 64 GiB. */
export function assertScryptParams(params: ScryptParams): void {
  const { logN, r, p } = params
  const ok = Number.isInteger(logN) && logN >= 1 && logN <= 20 && Number.isInteger(r) &&
    r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 4
  if (!ok) fail('storage/corrupt', 'scrypt parameters out of range')
}

function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Uint8Array {
  return scrypt(utf8(passphrase.normalize('NFC')), salt, {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    dkLen: 32,
    maxmem: 2 ** 31,
  })
}

function header(params: ScryptParams, salt: Uint8Array, nonce: Uint8Array): Uint8Array {
  return new Writer(64).u8(KEYSTORE_VERSION).u8(KDF_SCRYPT).u8(params.logN).u8(params.r)
    .u8(params.p).fixed(salt, SALT_LENGTH, 'salt').fixed(nonce, NONCE_LENGTH, 'nonce').finish()
}

export function sealKeystore(
  rootSecretKey: Uint8Array,
  orgId: Uint8Array,
  passphrase: string,
  params: ScryptParams,
  random: RandomSource,
): Uint8Array {
  assertScryptParams(params)
  const salt = random(SALT_LENGTH)
  const nonce = random(NONCE_LENGTH)
  const head = header(params, salt, nonce)
  const key = deriveKey(passphrase, salt, params)
  const plaintext = new Writer(64).u8(SECRET_VERSION).fixed(orgId, 16, 'orgId')
    .fixed(rootSecretKey, 32, 'rootSecretKey').finish()
  const ciphertext = seal(key, nonce, plaintext, head)
  wipe(key, plaintext)
  return new Writer(128).raw(head).bytes(ciphertext).finish()
}

export interface UnlockedRoot {
  rootSecretKey: Uint8Array
  anchor: OrgAnchor
}

/** Parses the header only (no passphrase): for `storage/corrupt` before any expensive work. */
export function readKeystoreHeader(bytes: Uint8Array) {
  try {
    const r = new Reader(bytes)
    if (r.u8() !== KEYSTORE_VERSION) fail('codec/bad-version', 'unknown keystore version')
    if (r.u8() !== KDF_SCRYPT) fail('codec/bad-type', 'unknown key derivation')
    const params = { logN: r.u8(), r: r.u8(), p: r.u8() }
    assertScryptParams(params)
    const salt = r.fixed(SALT_LENGTH)
    const nonce = r.fixed(NONCE_LENGTH)
    const head = bytes.subarray(0, r.offset)
    const ciphertext = r.bytes(256)
    r.end()
    return { params, salt, nonce, head, ciphertext }
  } catch (e) {
    if (isConchError(e)) {
      throw new ConchError('storage/corrupt', `keystore is corrupt (${e.message})`)
    }
    throw e
  }
}

/**
 * Decrypts the root key. A wrong passphrase and a modified file are indistinguishable by design
 * (one AEAD tag): both are `crypto/auth-failed`.
 */
export function unlockKeystore(bytes: Uint8Array, passphrase: string): UnlockedRoot {
  const { params, salt, nonce, head, ciphertext } = readKeystoreHeader(bytes)
  const key = deriveKey(passphrase, salt, params)
  const plaintext = open(key, nonce, ciphertext, head)
  wipe(key)
  if (plaintext.length !== 49 || plaintext[0] !== SECRET_VERSION) {
    fail('storage/corrupt', 'keystore content is malformed')
  }
  const orgId = plaintext.slice(1, 17)
  const rootSecretKey = plaintext.slice(17, 49)
  wipe(plaintext)
  return { rootSecretKey, anchor: { orgId, rootPublicKey: signingPublicKey(rootSecretKey) } }
}

export function sameAnchor(a: OrgAnchor, b: OrgAnchor): boolean {
  return equalBytes(a.orgId, b.orgId) && equalBytes(a.rootPublicKey, b.rootPublicKey)
}
