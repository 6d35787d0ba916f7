// The Double Ratchet KDFs (Signal spec §5.2): KDF_RK via HKDF, KDF_CK via HMAC with 0x01/0x02,
// and the expansion of a message key into an XChaCha20-Poly1305 key and nonce.

import { hkdfRaw, hmacSha256 } from '../primitives/kdf.ts'
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

/** KDF_CK(ck): message key = HMAC(ck, 0x01), next chain key = HMAC(ck, 0x02) (spec §5.2). */
export function kdfChainKey(chainKey: Uint8Array): ChainStep {
  assertKey(chainKey, 'chainKey')
  return {
    messageKey: hmacSha256(chainKey, MESSAGE_CONSTANT),
    chainKey: hmacSha256(chainKey, CHAIN_CONSTANT),
  }
}

/**
 * A message key expanded to AEAD key (32) and nonce (24) with HKDF (zero salt), as the spec's
 * recommended ENCRYPT expands mk; `info` names the protocol, so the two chains never collide.
 */
export function expandMessageKey(messageKey: Uint8Array, info: Uint8Array): MessageKeyMaterial {
  assertKey(messageKey, 'messageKey')
  const out = hkdfRaw(messageKey, undefined, info, 56)
  return { key: out.slice(0, 32), nonce: out.slice(32, 56) }
}
