// One compliance suite for every provider (js-libp2p style): the native WebCrypto provider must
// agree with the noble reference byte for byte, and both with the sync primitives.

import { ed25519 } from '@noble/curves/ed25519.js'
import { assert, assertEquals } from './assert.ts'
import { fromHex, toHex } from '../../crypto/codec/bytes.ts'
import { sign, verify } from '../../crypto/primitives/ed25519.ts'
import { dh, dhPublicKey } from '../../crypto/primitives/x25519.ts'
import { SMALL_ORDER_ENCODINGS } from '../../crypto/provider/ed25519-strict.ts'
import { signLabelled, verifyLabelled } from '../../crypto/provider/labelled.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import { selfTestProvider } from '../../crypto/provider/self-test.ts'
import { createWebCryptoProvider } from '../../crypto/provider/webcrypto-provider.ts'
import { rawNativeProviders } from './providers.ts'
import { createNodeCryptoProvider } from '../../crypto/provider/node-crypto-provider.ts'
import { seededRandom } from './seeded-random.ts'

Deno.test('this runtime has native X25519 and Ed25519, and they pass the self-test', async () => {
  const native = await createWebCryptoProvider()
  assertEquals(native.name, 'webcrypto-x25519+webcrypto-ed25519')
  assertEquals(await selfTestProvider(native), { x25519: true, ed25519: true })
})

Deno.test('this runtime has node:crypto too, and it passes the self-test', async () => {
  const node = await createNodeCryptoProvider()
  assertEquals(node?.name, 'node-crypto')
  assertEquals(node?.symmetric?.name, 'node-crypto')
})

for (const native of await rawNativeProviders()) {
  Deno.test(`[${native.name}] seeded key generation gives noble's keys`, async () => {
    const noble = createNobleProvider(seededRandom(7))
    const seeded = (await rawNativeProviders(seededRandom(7))).find((p) => p.name === native.name)!
    for (let i = 0; i < 20; i++) {
      assertEquals(await seeded.generateDhKeyPair(), await noble.generateDhKeyPair())
      assertEquals(await seeded.generateSigningKeyPair(), await noble.generateSigningKeyPair())
    }
  })

  Deno.test(`[${native.name}] agrees with noble on 200 random X25519 agreements and with sync dh`, async () => {
    const noble = createNobleProvider(seededRandom(1))
    for (let i = 0; i < 200; i++) {
      const a = await native.generateDhKeyPair()
      const b = await noble.generateDhKeyPair()
      const viaNative = await native.dh(a, b.publicKey)
      assertEquals(toHex(viaNative), toHex(await noble.dh(a, b.publicKey)))
      assertEquals(toHex(viaNative), toHex(dh(b.secretKey, a.publicKey)))
    }
  })

  Deno.test(`[${native.name}] signatures equal noble's; both verify each other and reject flips`, async () => {
    const random = seededRandom(2)
    const noble = createNobleProvider(random)
    for (let i = 0; i < 100; i++) {
      const pair = await native.generateSigningKeyPair()
      const message = random(i)
      const sig = await native.signRaw(pair, message)
      assertEquals(toHex(sig), toHex(await noble.signRaw(pair, message)))
      assert(await noble.verifyRaw(pair.publicKey, message, sig))
      const flipped = sig.slice()
      flipped[i % 64] ^= 1 << (i % 8)
      assertEquals(await native.verifyRaw(pair.publicKey, message, flipped), false)
      assertEquals(await noble.verifyRaw(pair.publicKey, message, flipped), false)
    }
  })

  Deno.test(`[${native.name}] labelled signatures are the sync sign/verify ones`, async () => {
    const pair = await native.generateSigningKeyPair()
    const msg = Uint8Array.of(1, 2, 3)
    const sig = await signLabelled(native, pair, 'test/context', msg)
    assertEquals(toHex(sig), toHex(sign(pair.secretKey, 'test/context', msg)))
    assert(verify(pair.publicKey, 'test/context', msg, sig))
    assert(await verifyLabelled(native, pair.publicKey, 'test/context', msg, sig))
  })

  Deno.test(`[${native.name}] a signature from one context is refused in another`, async () => {
    const provider = native
    const pair = await provider.generateSigningKeyPair()
    const msg = Uint8Array.of(9, 9)
    const sig = await signLabelled(provider, pair, 'x3dh/signed-prekey', msg)
    assertEquals(
      await verifyLabelled(provider, pair.publicKey, 'sender-keys/message', msg, sig),
      false,
    )
    assertEquals(verify(pair.publicKey, 'sender-keys/message', msg, sig), false)
  })
}

Deno.test('the small-order list is exactly the torsion points noble knows', () => {
  for (const hex of SMALL_ORDER_ENCODINGS) {
    assert(ed25519.Point.fromHex(hex).isSmallOrder(), hex)
  }
  assertEquals(new Set(SMALL_ORDER_ENCODINGS).size, 8)
})

Deno.test('strict checks: small-order key, S >= L and non-canonical R fail on both providers', async () => {
  const noble = createNobleProvider()
  const pair = await noble.generateSigningKeyPair()
  const msg = Uint8Array.of(5)
  const sig = await noble.signRaw(pair, msg)
  // S + L: same point equation, non-canonical scalar.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n
  let s = 0n
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i])
  let sPlusL = s + L
  const bigS = sig.slice()
  for (let i = 0; i < 32; i++) {
    bigS[32 + i] = Number(sPlusL & 0xffn)
    sPlusL >>= 8n
  }
  const nonCanonicalR = sig.slice()
  nonCanonicalR.set(fromHex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), 0)
  for (const provider of [...await rawNativeProviders(), noble]) {
    assert(await provider.verifyRaw(pair.publicKey, msg, sig))
    assertEquals(await provider.verifyRaw(pair.publicKey, msg, bigS), false, provider.name)
    assertEquals(await provider.verifyRaw(pair.publicKey, msg, nonCanonicalR), false)
    for (const hex of SMALL_ORDER_ENCODINGS) {
      assertEquals(await provider.verifyRaw(fromHex(hex), msg, sig), false)
    }
  }
})

for (
  const [name, make] of [
    ['node-crypto', () => createNodeCryptoProvider({ prefetchKeys: true })],
    ['webcrypto', () => createWebCryptoProvider({ prefetchKeys: true })],
  ] as const
) {
  Deno.test({
    name: `[${name}] prefetched ratchet keys are fresh, distinct and agree with noble`,
    // One key generation is deliberately left pending after the last call.
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const p = await make()
      if (!p) return
      const seen = new Set<string>()
      for (let i = 0; i < 20; i++) {
        const pair = await p.generateDhKeyPair()
        assertEquals(toHex(pair.publicKey), toHex(dhPublicKey(pair.secretKey)))
        seen.add(toHex(pair.secretKey))
      }
      assertEquals(seen.size, 20)
    },
  })
}
