// The Double Ratchet KDFs (Signal spec §5.2): KDF_RK via HKDF, KDF_CK via HMAC with 0x01/0x02,
// and the expansion of a message key into an XChaCha20-Poly1305 key and nonce.

import { nobleSymmetric, type SymmetricPrimitives } from '../provider/symmetric.ts'
import { utf8 } from '../codec/bytes.ts'
import { LABEL_PREFIX } from '../primitives/labels.ts'
import { fail } from '../errors/conch-error.ts'

const ROOT_INFO = utf8(LABEL_PREFIX + 'ratchet/root')

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
export function kdfRootKey(
  rootKey: Uint8Array,
  dhOutput: Uint8Array,
  sym: SymmetricPrimitives = nobleSymmetric,
): RootStep {
  assertKey(rootKey, 'rootKey')
  assertKey(dhOutput, 'dhOutput')
  const out = sym.hkdf(dhOutput, rootKey, ROOT_INFO, 64)
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64) }
}

/**
 * KDF_CK(ck): message key = HMAC(ck, 0x01), next chain key = HMAC(ck, 0x02) (spec §5.2).
 */
export function kdfChainKey(
  chainKey: Uint8Array,
  sym: SymmetricPrimitives = nobleSymmetric,
): ChainStep {
  assertKey(chainKey, 'chainKey')
  const [messageKey, next] = sym.hmacPair(chainKey)
  return { messageKey, chainKey: next }
}

/**
 * A message key expanded to AEAD key (32) and nonce (24), as the spec's recommended ENCRYPT
 * expands mk. HKDF-Expand alone (RFC 5869 §2.3) with PRK = mk: mk is already a uniformly random
 * HMAC output, the case where §3.3 says the extract step may be skipped. `info` names the
 * protocol, so the pairwise and sender-key chains never share a key.
 */
export function expandMessageKey(
  messageKey: Uint8Array,
  info: Uint8Array,
  sym: SymmetricPrimitives = nobleSymmetric,
): MessageKeyMaterial {
  assertKey(messageKey, 'messageKey')
  const out = sym.hkdfExpand(messageKey, info, 56)
  return { key: out.slice(0, 32), nonce: out.slice(32, 56) }
}
