// The seam every channel byte passes through on its way to and from the wire: the engine only
// ever sees a ChannelCipher, so replacing the walking skeleton's shared-key cipher with Sender Keys
// (issue 3/6) leaves no plaintext path behind.

import { AEAD_NONCE_LENGTH, open as aeadOpen, seal as aeadSeal } from '../primitives/aead.ts'
import { hkdf } from '../primitives/kdf.ts'
import { type RandomSource, secureRandom } from '../primitives/random.ts'
import { concatBytes } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'

/** Encrypts and authenticates one channel payload, bound to its envelope header (`ad`). */
export interface ChannelCipher {
  /** Stable name of the scheme, written into the envelope so receivers never guess. */
  readonly scheme: number
  seal(plaintext: Uint8Array, ad: Uint8Array): Promise<Uint8Array>
  /** Throws ConchError `crypto/auth-failed` for any tampered, truncated or foreign ciphertext. */
  open(ciphertext: Uint8Array, ad: Uint8Array): Promise<Uint8Array>
}

export const SCHEME_SHARED_KEY = 1

/**
 * Walking-skeleton scheme: every member holds one 32-byte channel secret (from the invite) and
 * each payload is XChaCha20-Poly1305 under a key derived for that channel, with a random nonce.
 * Output: nonce(24) || ciphertext+tag. It gives confidentiality and integrity against outsiders,
 * not per-author authenticity or forward secrecy: Sender Keys replace it.
 */
export function sharedKeyChannelCipher(
  channelSecret: Uint8Array,
  channelId: Uint8Array,
  random: RandomSource = secureRandom,
): ChannelCipher {
  if (channelSecret.length !== 32) fail('crypto/bad-key', 'channel secret length')
  const key = hkdf(channelSecret, channelId, 'channel/shared-key', 32)
  return {
    scheme: SCHEME_SHARED_KEY,
    seal(plaintext, ad) {
      const nonce = random(AEAD_NONCE_LENGTH)
      return Promise.resolve(concatBytes(nonce, aeadSeal(key, nonce, plaintext, ad)))
    },
    open(ciphertext, ad) {
      if (ciphertext.length < AEAD_NONCE_LENGTH) fail('crypto/auth-failed', 'authentication failed')
      const nonce = ciphertext.subarray(0, AEAD_NONCE_LENGTH)
      return Promise.resolve(aeadOpen(key, nonce, ciphertext.subarray(AEAD_NONCE_LENGTH), ad))
    },
  }
}
