// Known-answer self-test run before a native engine is trusted: a runtime whose X25519 or
// Ed25519 is missing, partial or wrong falls back to noble for that capability.

import { equalBytes, fromHex } from '../codec/bytes.ts'
import type { CryptoProvider } from './crypto-provider.ts'
import { nobleSymmetric, type SymmetricPrimitives } from './symmetric.ts'

// RFC 7748 §6.1: Alice's private key, Bob's public key and their shared secret.
const ALICE_X25519 = {
  secretKey: fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
  publicKey: fromHex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'),
}
const BOB_X25519 = {
  secretKey: fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'),
  publicKey: fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'),
}
const X25519_SHARED = fromHex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742')

// RFC 8032 §7.1 TEST 2: one-byte message 0x72.
const ED25519_KEY = {
  secretKey: fromHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'),
  publicKey: fromHex('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c'),
}
const ED25519_SIGNATURE = fromHex(
  '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da' +
    '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
)

export interface SelfTestResult {
  x25519: boolean
  ed25519: boolean
}

/** Uses fixed keys only: it must not draw from (and so shift) an injected random stream. */
export async function selfTestProvider(provider: CryptoProvider): Promise<SelfTestResult> {
  const x25519 = await attempt(async () => {
    const ab = await provider.dh(ALICE_X25519, BOB_X25519.publicKey)
    const ba = await provider.dh(BOB_X25519, ALICE_X25519.publicKey)
    const lowOrderRejected = await provider.dh(ALICE_X25519, new Uint8Array(32)).then(
      () => false,
      () => true,
    )
    return equalBytes(ab, X25519_SHARED) && equalBytes(ba, X25519_SHARED) && lowOrderRejected
  })
  const ed25519 = await attempt(async () => {
    const message = Uint8Array.of(0x72)
    const signature = await provider.signRaw(ED25519_KEY, message)
    const good = await provider.verifyRaw(ED25519_KEY.publicKey, message, ED25519_SIGNATURE)
    const bad = await provider.verifyRaw(ED25519_KEY.publicKey, Uint8Array.of(0x73), signature)
    return equalBytes(signature, ED25519_SIGNATURE) && good && !bad
  })
  return { x25519, ed25519 }
}

async function attempt(check: () => Promise<boolean>): Promise<boolean> {
  try {
    return await check()
  } catch {
    return false
  }
}

/** True when `sym` gives noble's bytes for HMAC, HKDF, HKDF-Expand and XChaCha20-Poly1305. */
export function selfTestSymmetric(sym: SymmetricPrimitives): boolean {
  try {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i)
    const nonce = Uint8Array.from({ length: 24 }, (_, i) => 0x40 + i)
    const ad = Uint8Array.of(1, 2, 3)
    const text = Uint8Array.from({ length: 100 }, (_, i) => i * 7)
    const ref = nobleSymmetric
    const sealed = sym.seal(key, nonce, text, ad)
    const forged = sealed.slice()
    forged[0] ^= 1
    const refusesForgery = (() => {
      try {
        sym.open(key, nonce, forged, ad)
        return false
      } catch {
        return true
      }
    })()
    return equalBytes(sealed, ref.seal(key, nonce, text, ad)) &&
      equalBytes(sym.open(key, nonce, sealed, ad), text) && refusesForgery &&
      equalBytes(sym.hkdf(text, key, ad, 64), ref.hkdf(text, key, ad, 64)) &&
      equalBytes(sym.hkdf(text, undefined, ad, 32), ref.hkdf(text, undefined, ad, 32)) &&
      equalBytes(sym.hkdfExpand(key, ad, 56), ref.hkdfExpand(key, ad, 56)) &&
      sym.hmacPair(key).every((m, i) => equalBytes(m, ref.hmacPair(key)[i]))
  } catch {
    return false
  }
}
