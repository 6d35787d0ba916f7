// The primitive provider: the asymmetric operations crypto/ needs, behind one async interface
// (DESIGN §5 "Speed"), so a runtime with native X25519/Ed25519 can stand in for pure-JS noble.

import type { DhKeyPair } from '../primitives/x25519.ts'
import type { SigningKeyPair } from '../primitives/ed25519.ts'
import type { SymmetricPrimitives } from './symmetric.ts'

export type { DhKeyPair, SigningKeyPair, SymmetricPrimitives }

/**
 * Every implementation must behave exactly like the noble reference (the compliance suite in
 * tests/crypto/provider-compliance.test.ts runs each one against noble and Wycheproof):
 * - `dh` fails with `crypto/low-order` when the shared secret is all zero (RFC 7748 §6.1) and
 *   with `crypto/bad-key` on a wrong length; non-canonical public keys are masked and accepted
 *   (RFC 7748 §5).
 * - `verify` is RFC 8032 §5.1.7 with strict encodings (noble `zip215: false`): it returns a
 *   boolean and never throws for bad input.
 * - key generation draws from the provider's own randomness (injected where the provider allows).
 */
export interface CryptoProvider {
  /** e.g. 'noble' or 'webcrypto+noble': which engine does X25519 and which does Ed25519. */
  readonly name: string
  /** Fresh X25519 key pair. */
  generateDhKeyPair(): Promise<DhKeyPair>
  /** X25519(ours.secretKey, theirs); `ours.publicKey` lets native engines import cheaply. */
  dh(ours: DhKeyPair, theirPublicKey: Uint8Array): Promise<Uint8Array>
  /** Fresh Ed25519 key pair (RFC 8032 §5.1.5, 32-byte seed). */
  generateSigningKeyPair(): Promise<SigningKeyPair>
  /** Raw RFC 8032 signature over `message` (no context label: see labelled.ts). */
  signRaw(keyPair: SigningKeyPair, message: Uint8Array): Promise<Uint8Array>
  /** Raw strict RFC 8032 verification. */
  verifyRaw(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>
  /**
   * Optional: many verifications at once, which a native engine may spread over its thread pool.
   * Same answers as calling verifyRaw on each item.
   */
  verifyRawMany?(items: readonly VerifyItem[]): Promise<boolean[]>
  /** Optional native HMAC/HKDF/AEAD; protocols fall back to noble (`nobleSymmetric`). */
  readonly symmetric?: SymmetricPrimitives
  /** Random bytes for chain keys and nonces (the same source key generation uses). */
  randomBytes(n: number): Uint8Array
}

export interface VerifyItem {
  publicKey: Uint8Array
  message: Uint8Array
  signature: Uint8Array
}
