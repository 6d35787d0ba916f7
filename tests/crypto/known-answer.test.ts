// Frozen known-answer vectors of our own (tests/vectors/crypto-*.json, see its README): the KDF
// chain, X3DH and a short ratchet transcript must come out byte for byte, on every provider;
// mutants of the X3DH KDF (a 2-byte F, a missing salt) must not.

import { assertEquals, assertNotEquals } from './assert.ts'
import { concatBytes, fromHex, toHex, utf8 } from '../../crypto/codec/bytes.ts'
import { hkdfRaw } from '../../crypto/primitives/kdf.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import { createNodeCryptoProvider } from '../../crypto/provider/node-crypto-provider.ts'
import { createWebCryptoProvider } from '../../crypto/provider/webcrypto-provider.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import {
  expandMessageKey,
  kdfChainKey,
  kdfRootKey,
  RATCHET_MESSAGE_KEYS_INFO,
  SENDER_KEYS_MESSAGE_KEYS_INFO,
} from '../../crypto/ratchet/chain-kdf.ts'
import { x3dhSharedSecret } from '../../crypto/x3dh/shared-secret.ts'
import { runTranscript } from './transcript.ts'
import { seededRandom } from './seeded-random.ts'

const load = (name: string) =>
  JSON.parse(Deno.readTextFileSync(new URL(`../vectors/${name}`, import.meta.url)))

Deno.test('KDF chain: KDF_RK, KDF_CK and the message-key split match the frozen vectors', () => {
  const v = load('crypto-kdf-chain.json')
  const root = kdfRootKey(fromHex(v.rootKey), fromHex(v.dhOutput))
  assertEquals(toHex(root.rootKey), v.nextRootKey)
  assertEquals(toHex(root.chainKey), v.chainKey)
  let chainKey = root.chainKey
  for (const step of v.steps) {
    assertEquals(toHex(chainKey), step.chainKey)
    const next = kdfChainKey(chainKey)
    assertEquals(toHex(next.messageKey), step.messageKey)
    assertEquals(toHex(next.chainKey), step.nextChainKey)
    const pairwise = expandMessageKey(next.messageKey, RATCHET_MESSAGE_KEYS_INFO)
    assertEquals([toHex(pairwise.key), toHex(pairwise.nonce)], [
      step.ratchetAeadKey,
      step.ratchetNonce,
    ])
    const group = expandMessageKey(next.messageKey, SENDER_KEYS_MESSAGE_KEYS_INFO)
    assertEquals([toHex(group.key), toHex(group.nonce)], [
      step.senderKeysAeadKey,
      step.senderKeysNonce,
    ])
    chainKey = next.chainKey
  }
})

Deno.test('X3DH: the shared secret matches; a 2-byte F, no F, or F as salt does not', async () => {
  const v = load('crypto-x3dh.json')
  const dhs = [v.dh1, v.dh2, v.dh3, v.dh4].map(fromHex)
  assertEquals(toHex(x3dhSharedSecret(dhs)), v.sharedSecretWithOneTimePreKey)
  assertEquals(toHex(x3dhSharedSecret(dhs.slice(0, 3))), v.sharedSecretWithoutOneTimePreKey)
  // The DH values themselves, on every provider.
  for (const p of await providers()) {
    const pair = (name: string) => ({
      secretKey: fromHex(v.secrets[name]),
      publicKey: fromHex(v.publicKeys[name]),
    })
    const dh1 = await p.dh(pair('aliceIdentity'), fromHex(v.publicKeys.bobSignedPreKey))
    const dh4 = await p.dh(pair('bobOneTimePreKey'), fromHex(v.publicKeys.aliceEphemeral))
    assertEquals([toHex(dh1), toHex(dh4)], [v.dh1, v.dh4], p.name)
  }
  const info = utf8('conch/v1/x3dh/shared-secret')
  const F = new Uint8Array(32).fill(0xff)
  const zeroSalt = new Uint8Array(32)
  const badF = hkdfRaw(concatBytes(Uint8Array.of(0xff, 0x20), ...dhs), zeroSalt, info, 32)
  const noF = hkdfRaw(concatBytes(...dhs), zeroSalt, info, 32)
  const fAsSalt = hkdfRaw(concatBytes(...dhs), F, info, 32)
  for (const mutant of [badF, noF, fAsSalt]) {
    assertNotEquals(toHex(mutant), v.sharedSecretWithOneTimePreKey)
  }
  // RFC 5869 §2.2: an absent salt *is* HashLen zero bytes (and HMAC zero-pads any shorter key),
  // so "missing salt" is not a distinct mutant: it must give the same answer.
  const noSalt = hkdfRaw(concatBytes(F, ...dhs), undefined, info, 32)
  assertEquals(toHex(noSalt), v.sharedSecretWithOneTimePreKey)
})

async function providers(): Promise<CryptoProvider[]> {
  const out = [createNobleProvider(), await createWebCryptoProvider()]
  const node = await createNodeCryptoProvider()
  if (node) out.push(node)
  return out
}

type Make = (random: RandomSource) => Promise<CryptoProvider>
const makers: [string, Make][] = [
  ['noble', (r) => Promise.resolve(createNobleProvider(r))],
  ['webcrypto', (r) => createWebCryptoProvider({ random: r, skipSelfTest: true })],
  [
    'node-crypto',
    async (r) => (await createNodeCryptoProvider({ random: r, skipSelfTest: true }))!,
  ],
]

for (const [name, make] of makers) {
  Deno.test(`[${name}] the seeded ratchet transcript reproduces the frozen envelopes`, async () => {
    if (name === 'node-crypto' && !(await createNodeCryptoProvider())) return
    const v = load('crypto-ratchet-transcript.json')
    // runTranscript takes a sync factory; resolve the engine first, then hand it the stream.
    const randoms: RandomSource[] = []
    const engines: CryptoProvider[] = []
    for (const seed of [v.seed + 1, v.seed]) {
      const r = seededRandom(seed)
      randoms.push(r)
      engines.push(await make(r))
    }
    let next = 0
    const steps = await runTranscript(() => engines[next++], 'real')
    assertEquals(
      steps.map((s) => [s.from, toHex(s.envelope)]),
      v.steps.map((s: { from: string; envelope: string }) => [s.from, s.envelope]),
    )
  })
}
