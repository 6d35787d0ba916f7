// The device lock (docs/protocol/device-lock.md): a random 32-byte storage key encrypts this
// device's data at rest; a passphrase (scrypt -> XChaCha20-Poly1305) wraps that key, so after a
// reload nothing opens until the passphrase is typed. Without a passphrase the key is kept as is
// (like an unlocked phone): the record says which.

import { scryptAsync } from '@noble/hashes/scrypt.js'
import { concatBytes, utf8, wipe } from '../../crypto/codec/bytes.ts'
import { decodeExactly } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail, isConchError } from '../../crypto/errors/conch-error.ts'
import { AEAD_NONCE_LENGTH, open, seal } from '../../crypto/primitives/aead.ts'
import { hkdf } from '../../crypto/primitives/kdf.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'

export const DEVICE_LOCK_VERSION = 1
export const LOCK_NONE = 0
export const LOCK_SCRYPT = 1
/** A passkey's WebAuthn PRF output wraps the key (docs/protocol/device-lock.md). */
export const LOCK_PASSKEY = 2
export const PRF_SALT_LENGTH = 32
const MAX_CREDENTIAL_ID = 255
export const STORAGE_KEY_LENGTH = 32
const SALT_LENGTH = 16
const WRAPPED_LENGTH = STORAGE_KEY_LENGTH + 16
export const MIN_PASSPHRASE_LENGTH = 8

export interface ScryptParams {
  logN: number
  r: number
  p: number
}

/** N = 2^16, r = 8: 64 MiB and well under a second in a phone browser. */
export const DEFAULT_LOCK_SCRYPT: ScryptParams = { logN: 16, r: 8, p: 1 }

export type DeviceLockRecord =
  | { kind: typeof LOCK_NONE; storageKey: Uint8Array }
  | {
    kind: typeof LOCK_SCRYPT
    params: ScryptParams
    salt: Uint8Array
    nonce: Uint8Array
    wrapped: Uint8Array
  }
  | {
    kind: typeof LOCK_PASSKEY
    credentialId: Uint8Array
    /** The PRF input: the authenticator returns HMAC(its secret, salt) for this credential. */
    salt: Uint8Array
    nonce: Uint8Array
    wrapped: Uint8Array
  }

function assertParams({ logN, r, p }: ScryptParams): void {
  const ok = Number.isInteger(logN) && logN >= 10 && logN <= 20 && Number.isInteger(r) &&
    r >= 1 && r <= 16 && Number.isInteger(p) && p >= 1 && p <= 4
  if (!ok) fail('storage/corrupt', 'scrypt parameters out of range')
}

function scryptHeader(params: ScryptParams, salt: Uint8Array, nonce: Uint8Array): Uint8Array {
  return new Writer(48).u8(DEVICE_LOCK_VERSION).u8(LOCK_SCRYPT).u8(params.logN).u8(params.r)
    .u8(params.p).fixed(salt, SALT_LENGTH, 'salt').fixed(nonce, AEAD_NONCE_LENGTH, 'nonce')
    .finish()
}

function passkeyHeader(credentialId: Uint8Array, salt: Uint8Array, nonce: Uint8Array): Uint8Array {
  if (credentialId.length < 1 || credentialId.length > MAX_CREDENTIAL_ID) {
    fail('codec/bad-value', 'credential id length')
  }
  return new Writer(96 + credentialId.length).u8(DEVICE_LOCK_VERSION).u8(LOCK_PASSKEY)
    .u8(credentialId.length).raw(credentialId).fixed(salt, PRF_SALT_LENGTH, 'salt')
    .fixed(nonce, AEAD_NONCE_LENGTH, 'nonce').finish()
}

export function encodeDeviceLock(record: DeviceLockRecord): Uint8Array {
  if (record.kind === LOCK_PASSKEY) {
    return new Writer(160).raw(passkeyHeader(record.credentialId, record.salt, record.nonce))
      .fixed(record.wrapped, WRAPPED_LENGTH, 'wrapped').finish()
  }
  if (record.kind === LOCK_NONE) {
    return new Writer(40).u8(DEVICE_LOCK_VERSION).u8(LOCK_NONE)
      .fixed(record.storageKey, STORAGE_KEY_LENGTH, 'storageKey').finish()
  }
  assertParams(record.params)
  return new Writer(96).raw(scryptHeader(record.params, record.salt, record.nonce))
    .fixed(record.wrapped, WRAPPED_LENGTH, 'wrapped').finish()
}

export function decodeDeviceLock(bytes: Uint8Array): DeviceLockRecord {
  return decodeExactly(bytes, (r) => {
    const version = r.u8()
    if (version !== DEVICE_LOCK_VERSION) fail('codec/bad-version', 'device lock version')
    const kind = r.u8()
    if (kind === LOCK_NONE) return { kind: LOCK_NONE, storageKey: r.fixed(STORAGE_KEY_LENGTH) }
    if (kind === LOCK_PASSKEY) {
      const idLength = r.u8()
      if (idLength < 1) fail('codec/bad-value', 'credential id length')
      return {
        kind: LOCK_PASSKEY,
        credentialId: r.fixed(idLength),
        salt: r.fixed(PRF_SALT_LENGTH),
        nonce: r.fixed(AEAD_NONCE_LENGTH),
        wrapped: r.fixed(WRAPPED_LENGTH),
      }
    }
    if (kind !== LOCK_SCRYPT) fail('codec/bad-type', 'device lock kind')
    const params = { logN: r.u8(), r: r.u8(), p: r.u8() }
    assertParams(params)
    return {
      kind: LOCK_SCRYPT,
      params,
      salt: r.fixed(SALT_LENGTH),
      nonce: r.fixed(AEAD_NONCE_LENGTH),
      wrapped: r.fixed(WRAPPED_LENGTH),
    }
  })
}

async function deriveWrappingKey(
  passphrase: string,
  salt: Uint8Array,
  params: ScryptParams,
): Promise<Uint8Array> {
  return await scryptAsync(utf8(passphrase.normalize('NFC')), salt, {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    dkLen: 32,
    maxmem: 2 ** 30,
  })
}

export function newStorageKey(random: RandomSource): Uint8Array {
  return random(STORAGE_KEY_LENGTH)
}

/** Wraps the storage key under a passphrase (fresh salt and nonce each time). */
export async function lockWithPassphrase(
  storageKey: Uint8Array,
  passphrase: string,
  random: RandomSource,
  params: ScryptParams = DEFAULT_LOCK_SCRYPT,
): Promise<DeviceLockRecord> {
  if (storageKey.length !== STORAGE_KEY_LENGTH) fail('crypto/bad-key', 'storage key length')
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) fail('codec/bad-value', 'passphrase too short')
  assertParams(params)
  const salt = random(SALT_LENGTH)
  const nonce = random(AEAD_NONCE_LENGTH)
  const kek = await deriveWrappingKey(passphrase, salt, params)
  const wrapped = seal(kek, nonce, storageKey, scryptHeader(params, salt, nonce))
  wipe(kek)
  return { kind: LOCK_SCRYPT, params, salt, nonce, wrapped }
}

const prfWrappingKey = (prfOutput: Uint8Array) => {
  if (prfOutput.length < 32) fail('crypto/bad-key', 'PRF output length')
  return hkdf(prfOutput, undefined, 'device-lock/passkey-prf', 32)
}

/** Wraps the storage key under a passkey's PRF output for `salt` (fresh nonce each time). */
export function lockWithPasskey(
  storageKey: Uint8Array,
  credentialId: Uint8Array,
  salt: Uint8Array,
  prfOutput: Uint8Array,
  random: RandomSource,
): DeviceLockRecord {
  if (storageKey.length !== STORAGE_KEY_LENGTH) fail('crypto/bad-key', 'storage key length')
  const nonce = random(AEAD_NONCE_LENGTH)
  const kek = prfWrappingKey(prfOutput)
  const wrapped = seal(kek, nonce, storageKey, passkeyHeader(credentialId, salt, nonce))
  wipe(kek)
  return { kind: LOCK_PASSKEY, credentialId: credentialId.slice(), salt, nonce, wrapped }
}

/** The storage key from the passkey's PRF output, or `storage/locked`. */
export function unlockWithPasskey(record: DeviceLockRecord, prfOutput: Uint8Array): Uint8Array {
  if (record.kind !== LOCK_PASSKEY) return fail('storage/locked', 'not a passkey lock')
  const header = passkeyHeader(record.credentialId, record.salt, record.nonce)
  return unwrapStorageKey(prfWrappingKey(prfOutput), record, header, 'wrong passkey')
}

/** The storage key, or `storage/locked` for a wrong passphrase (one opaque failure). */
export async function unlockDevice(
  record: DeviceLockRecord,
  passphrase: string,
): Promise<Uint8Array> {
  if (record.kind === LOCK_NONE) return record.storageKey.slice()
  if (record.kind === LOCK_PASSKEY) {
    return fail('storage/locked', 'this device unlocks with a passkey')
  }
  const kek = await deriveWrappingKey(passphrase, record.salt, record.params)
  const header = scryptHeader(record.params, record.salt, record.nonce)
  return unwrapStorageKey(kek, record, header, 'wrong passphrase')
}

/** Opens the wrapped storage key with `kek` (then wiped); any failure is one `storage/locked`. */
function unwrapStorageKey(
  kek: Uint8Array,
  record: { nonce: Uint8Array; wrapped: Uint8Array },
  header: Uint8Array,
  reason: string,
): Uint8Array {
  try {
    return open(kek, record.nonce, record.wrapped, header)
  } catch (e) {
    if (isConchError(e)) fail('storage/locked', reason)
    throw e
  } finally {
    wipe(kek)
  }
}

/** Seals small local values (the channel list, read markers) under the storage key. */
export interface LocalSealer {
  seal(label: string, plaintext: Uint8Array): Uint8Array
  open(label: string, sealed: Uint8Array): Uint8Array
}

export function localSealer(storageKey: Uint8Array, random: RandomSource): LocalSealer {
  const key = storageKey.slice()
  const ad = (label: string) => utf8(`conch/v1/local/${label}`)
  return {
    seal(label, plaintext) {
      const nonce = random(AEAD_NONCE_LENGTH)
      return concatBytes(nonce, seal(key, nonce, plaintext, ad(label)))
    },
    open(label, sealed) {
      if (sealed.length < AEAD_NONCE_LENGTH) fail('storage/corrupt', 'short sealed value')
      return open(
        key,
        sealed.subarray(0, AEAD_NONCE_LENGTH),
        sealed.subarray(AEAD_NONCE_LENGTH),
        ad(label),
      )
    },
  }
}
