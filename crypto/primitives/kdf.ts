// Hashes and KDFs: SHA-256, HMAC-SHA-256 (RFC 2104), HKDF-SHA-256 (RFC 5869) with labelled info.

import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js'
import { hmac as nobleHmac } from '@noble/hashes/hmac.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { utf8 } from '../codec/bytes.ts'
import { LABEL_PREFIX } from './labels.ts'

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data)
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return nobleHmac(nobleSha256, key, data)
}

/** Raw HKDF-SHA-256 (RFC 5869); `info` is bytes as given. */
export function hkdfRaw(
  ikm: Uint8Array,
  salt: Uint8Array | undefined,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return nobleHkdf(nobleSha256, ikm, salt, info, length)
}

/** HKDF-SHA-256 whose info is "conch/v1/<context>": every derivation names its purpose. */
export function hkdf(
  ikm: Uint8Array,
  salt: Uint8Array | undefined,
  context: string,
  length: number,
): Uint8Array {
  return hkdfRaw(ikm, salt, utf8(LABEL_PREFIX + context), length)
}
