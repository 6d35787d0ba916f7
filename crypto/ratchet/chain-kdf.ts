// The Double Ratchet KDFs (Signal spec §5.2): KDF_RK via HKDF, KDF_CK via HMAC with 0x01/0x02,
// and the expansion of a message key into an XChaCha20-Poly1305 key and nonce.

import { expand } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { hkdfRaw } from '../primitives/kdf.ts'
import { utf8 } from '../codec/bytes.ts'
import { LABEL_PREFIX } from '../primitives/labels.ts'
import { fail } from '../errors/conch-error.ts'

const ROOT_INFO = utf8(LABEL_PREFIX + 'ratchet/root')
const MESSAGE_CONSTANT = Uint8Array.of(0x01)
const CHAIN_CONSTANT = Uint8Array.of(0x02)

/** HKDF info strings for message-key expansion, one per protocol that uses a chain. */
export const RATCHET_MESSAGE_KEYS_INFO = utf8(LABEL_PREFIX + 'ratchet/message-keys')
export const SENDER_KEYS_MESSAGE_KEYS_INFO = utf8(LABEL_PREFIX + 'sender-keys/message-keys')

export interface RootStep {
  rootKey: Uint8Array
  chainKey: Uint8Array
}

export interface ChainStep {
  chainKey: Uint8Array
  messageKey: Uint8Array
}

export interface MessageKeyMaterial {
  key: Uint8Array
  nonce: Uint8Array
}

function assertKey(key: Uint8Array, name: string): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) fail('crypto/bad-key', `${name} length`)
}

/** KDF_RK(rk, dh_out): HKDF-SHA-256 with salt = rk, IKM = dh_out, 64 bytes -> (rk', ck). */
export function kdfRootKey(rootKey: Uint8Array, dhOutput: Uint8Array): RootStep {
  assertKey(rootKey, 'rootKey')
  assertKey(dhOutput, 'dhOutput')
  const out = hkdfRaw(dhOutput, rootKey, ROOT_INFO, 64)
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64) }
}

/**
 * KDF_CK(ck): message key = HMAC(ck, 0x01), next chain key = HMAC(ck, 0x02) (spec §5.2).
 * Both MACs share one keyed HMAC state (cloned), so the key pads are hashed once.
 */
export function kdfChainKey(chainKey: Uint8Array): ChainStep {
  assertKey(chainKey, 'chainKey')
  const keyed = hmac.create(sha256, chainKey)
  const messageKey = keyed.clone().update(MESSAGE_CONSTANT).digest()
  return { messageKey, chainKey: keyed.update(CHAIN_CONSTANT).digest() }
}

/**
 * A message key expanded to AEAD key (32) and nonce (24), as the spec's recommended ENCRYPT
 * expands mk. HKDF-Expand alone (RFC 5869 §2.3) with PRK = mk: mk is already a uniformly random
 * HMAC output, the case where §3.3 says the extract step may be skipped. `info` names the
 * protocol, so the pairwise and sender-key chains never share a key.
 */
export function expandMessageKey(messageKey: Uint8Array, info: Uint8Array): MessageKeyMaterial {
  assertKey(messageKey, 'messageKey')
  const out = expand(sha256, messageKey, info, 56)
  return { key: out.slice(0, 32), nonce: out.slice(32, 56) }
}
