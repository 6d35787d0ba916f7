// Symmetric primitives on the runtime's node:crypto (reached, like the rest of the node provider,
// through process.getBuiltinModule): HMAC-SHA-256 natively, HKDF-Expand as RFC 5869 §2.3 over
// that HMAC, and XChaCha20-Poly1305 as draft-irtf-cfrg-xchacha §2.3 — noble's HChaCha20 for the
// subkey, then the runtime's IETF ChaCha20-Poly1305 (RFC 8439). Checked byte for byte against
// noble and the Wycheproof vectors (tests/crypto/wycheproof-symmetric.test.ts).

import { hchacha } from '@noble/ciphers/chacha.js'
import { concatBytes } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import type { SymmetricPrimitives } from './symmetric.ts'

interface NodeHmac {
  update(data: Uint8Array): NodeHmac
  digest(): Uint8Array
}
interface NodeCipher {
  setAAD(ad: Uint8Array, options: { plaintextLength: number }): void
  update(data: Uint8Array): Uint8Array
  final(): Uint8Array
  getAuthTag(): Uint8Array
  setAuthTag(tag: Uint8Array): void
}
export interface NodeSymmetricCrypto {
  createHmac(algorithm: 'sha256', key: Uint8Array): NodeHmac
  createCipheriv(
    algorithm: 'chacha20-poly1305',
    key: Uint8Array,
    iv: Uint8Array,
    options: { authTagLength: 16 },
  ): NodeCipher
  createDecipheriv(
    algorithm: 'chacha20-poly1305',
    key: Uint8Array,
    iv: Uint8Array,
    options: { authTagLength: 16 },
  ): NodeCipher
}

// "expand 32-byte k" (RFC 8439 §2.3).
const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574])
const ONE = Uint8Array.of(0x01)
const TWO = Uint8Array.of(0x02)
const ZERO_SALT = new Uint8Array(32)

function littleEndianWords(bytes: Uint8Array, offset: number, words: number): Uint32Array {
  const out = new Uint32Array(words)
  for (let i = 0; i < words; i++) {
    const at = offset + 4 * i
    out[i] = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>>
      0
  }
  return out
}

/** HChaCha20(key, nonce[0..16)) and the 12-byte IETF nonce 0^4 || nonce[16..24). */
function xchachaSubkey(key: Uint8Array, nonce: Uint8Array): [Uint8Array, Uint8Array] {
  if (key.length !== 32) fail('crypto/bad-key', 'aead key length')
  if (nonce.length !== 24) fail('crypto/bad-argument', 'aead nonce length')
  const words = new Uint32Array(8)
  hchacha(SIGMA, littleEndianWords(key, 0, 8), littleEndianWords(nonce, 0, 4), words)
  const subkey = new Uint8Array(32)
  for (let i = 0; i < 8; i++) {
    subkey[4 * i] = words[i] & 0xff
    subkey[4 * i + 1] = (words[i] >>> 8) & 0xff
    subkey[4 * i + 2] = (words[i] >>> 16) & 0xff
    subkey[4 * i + 3] = words[i] >>> 24
  }
  words.fill(0)
  const ietfNonce = new Uint8Array(12)
  ietfNonce.set(nonce.subarray(16, 24), 4)
  return [subkey, ietfNonce]
}

const plain = (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice()

/** The runtime's IETF ChaCha20-Poly1305 (RFC 8439 §2.8): 12-byte nonce, tag appended. */
export function nodeChaCha20Poly1305(c: NodeSymmetricCrypto) {
  return {
    seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
      if (key.length !== 32) fail('crypto/bad-key', 'aead key length')
      if (nonce.length !== 12) fail('crypto/bad-argument', 'aead nonce length')
      const cipher = c.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
      cipher.setAAD(ad, { plaintextLength: plaintext.length })
      return concatBytes(cipher.update(plaintext), cipher.final(), cipher.getAuthTag())
    },
    open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, ad: Uint8Array): Uint8Array {
      if (key.length !== 32) fail('crypto/bad-key', 'aead key length')
      if (nonce.length !== 12) fail('crypto/bad-argument', 'aead nonce length')
      if (ciphertext.length < 16) fail('crypto/auth-failed', 'authentication failed')
      const body = ciphertext.subarray(0, ciphertext.length - 16)
      try {
        const d = c.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
        d.setAuthTag(ciphertext.subarray(ciphertext.length - 16))
        d.setAAD(ad, { plaintextLength: body.length })
        return concatBytes(d.update(body), d.final())
      } catch {
        return fail('crypto/auth-failed', 'authentication failed')
      }
    },
  }
}

export function nodeSymmetric(c: NodeSymmetricCrypto): SymmetricPrimitives {
  const ietf = nodeChaCha20Poly1305(c)
  const mac = (key: Uint8Array, ...parts: Uint8Array[]) => {
    const h = c.createHmac('sha256', key)
    for (const p of parts) h.update(p)
    return plain(h.digest())
  }
  const expand = (prk: Uint8Array, info: Uint8Array, length: number) => {
    if (length > 64 || prk.length < 32) throw new RangeError('hkdfExpand: unsupported length')
    const t1 = mac(prk, info, ONE)
    if (length <= 32) return t1.slice(0, length)
    const t2 = mac(prk, t1, info, TWO)
    return concatBytes(t1, t2).slice(0, length)
  }
  return {
    name: 'node-crypto',
    hmacPair: (key) => [mac(key, ONE), mac(key, TWO)],
    hkdf: (ikm, salt, info, length) => expand(mac(salt ?? ZERO_SALT, ikm), info, length),
    hkdfExpand: expand,
    seal(key, nonce, plaintext, ad) {
      const [subkey, ietfNonce] = xchachaSubkey(key, nonce)
      try {
        return ietf.seal(subkey, ietfNonce, plaintext, ad)
      } finally {
        subkey.fill(0)
      }
    },
    open(key, nonce, ciphertext, ad) {
      const [subkey, ietfNonce] = xchachaSubkey(key, nonce)
      try {
        return ietf.open(subkey, ietfNonce, ciphertext, ad)
      } finally {
        subkey.fill(0)
      }
    },
  }
}
