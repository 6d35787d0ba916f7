// The symmetric primitives the protocols run per message (HMAC-SHA-256, HKDF, XChaCha20-Poly1305)
// behind one small interface, so a provider can run them natively. noble is the reference; any
// other implementation must give byte-identical results (checked against Wycheproof and noble).

import { expand } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { open, seal } from '../primitives/aead.ts'
import { hkdfRaw } from '../primitives/kdf.ts'

export interface SymmetricPrimitives {
  readonly name: string
  /** HMAC-SHA-256(key, 0x01) and HMAC-SHA-256(key, 0x02): one KDF_CK step. */
  hmacPair(key: Uint8Array): [Uint8Array, Uint8Array]
  /** HKDF-SHA-256 (RFC 5869); an undefined salt is 32 zero bytes. */
  hkdf(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array
  /** HKDF-Expand alone (RFC 5869 §2.3), length at most 64. */
  hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array
  /** XChaCha20-Poly1305 with a 24-byte nonce; open fails with `crypto/auth-failed`. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array
  open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, ad: Uint8Array): Uint8Array
}

const ONE = Uint8Array.of(0x01)
const TWO = Uint8Array.of(0x02)

export const nobleSymmetric: SymmetricPrimitives = {
  name: 'noble',
  hmacPair(key) {
    // One keyed state, cloned: the key pads are hashed once for both MACs.
    const keyed = hmac.create(sha256, key)
    return [keyed.clone().update(ONE).digest(), keyed.update(TWO).digest()]
  },
  hkdf: (ikm, salt, info, length) => hkdfRaw(ikm, salt, info, length),
  hkdfExpand: (prk, info, length) => expand(sha256, prk, info, length),
  seal: (key, nonce, plaintext, ad) => seal(key, nonce, plaintext, ad),
  open: (key, nonce, ciphertext, ad) => open(key, nonce, ciphertext, ad),
}
