// XChaCha20-Poly1305 AEAD (draft-irtf-cfrg-xchacha §2): 32-byte key, 24-byte nonce, 16-byte tag.

import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { fail } from '../errors/conch-error.ts'

export const AEAD_KEY_LENGTH = 32
export const AEAD_NONCE_LENGTH = 24
export const AEAD_TAG_LENGTH = 16

export function seal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  ad?: Uint8Array,
): Uint8Array {
  if (key.length !== AEAD_KEY_LENGTH) fail('crypto/bad-key', 'aead key length')
  if (nonce.length !== AEAD_NONCE_LENGTH) fail('crypto/bad-argument', 'aead nonce length')
  return xchacha20poly1305(key, nonce, ad).encrypt(plaintext)
}

/** Decrypts or throws the single opaque `crypto/auth-failed`. */
export function open(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  ad?: Uint8Array,
): Uint8Array {
  if (key.length !== AEAD_KEY_LENGTH) fail('crypto/bad-key', 'aead key length')
  if (nonce.length !== AEAD_NONCE_LENGTH) fail('crypto/bad-argument', 'aead nonce length')
  if (ciphertext.length < AEAD_TAG_LENGTH) fail('crypto/auth-failed', 'authentication failed')
  try {
    return xchacha20poly1305(key, nonce, ad).decrypt(ciphertext)
  } catch {
    return fail('crypto/auth-failed', 'authentication failed')
  }
}
