// Regenerates the frozen crypto known-answer vectors in this folder (see README.md):
//   node scripts/deno.mjs run --allow-read --allow-write tests/vectors/generate-crypto-vectors.ts
// Every value is computed twice, by crypto/ and by the slow reference in tests/crypto/reference,
// and the script refuses to write anything the two disagree on.

import { fromUtf8, toHex } from '../../crypto/codec/bytes.ts'
import { dh, dhPublicKey } from '../../crypto/primitives/x25519.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import {
  expandMessageKey,
  kdfChainKey,
  kdfRootKey,
  RATCHET_MESSAGE_KEYS_INFO,
  SENDER_KEYS_MESSAGE_KEYS_INFO,
} from '../../crypto/ratchet/chain-kdf.ts'
import { x3dhSharedSecret } from '../../crypto/x3dh/shared-secret.ts'
import * as ref from '../crypto/reference/reference-ratchet.ts'
import { runTranscript, TRANSCRIPT_SCRIPT, TRANSCRIPT_SEED } from '../crypto/transcript.ts'

function same(a: Uint8Array, b: Uint8Array, what: string): string {
  if (toHex(a) !== toHex(b)) throw new Error(`crypto/ and reference disagree on ${what}`)
  return toHex(a)
}

const bytes = (start: number) => Uint8Array.from({ length: 32 }, (_, i) => (start + i) & 0xff)

// --- KDF chain --------------------------------------------------------------------------
function kdfChainVectors() {
  const rootKey = bytes(0x00)
  const dhOutput = bytes(0x20)
  const root = kdfRootKey(rootKey, dhOutput)
  const steps = []
  let chainKey = root.chainKey
  for (let i = 0; i < 3; i++) {
    const step = kdfChainKey(chainKey)
    const pairwise = expandMessageKey(step.messageKey, RATCHET_MESSAGE_KEYS_INFO)
    const group = expandMessageKey(step.messageKey, SENDER_KEYS_MESSAGE_KEYS_INFO)
    const [refKey, refNonce] = ref.expandMessageKey(step.messageKey, 'ratchet/message-keys')
    steps.push({
      chainKey: toHex(chainKey),
      messageKey: toHex(step.messageKey),
      nextChainKey: toHex(step.chainKey),
      ratchetAeadKey: same(pairwise.key, refKey, 'message key expansion'),
      ratchetNonce: same(pairwise.nonce, refNonce, 'nonce expansion'),
      senderKeysAeadKey: toHex(group.key),
      senderKeysNonce: toHex(group.nonce),
    })
    chainKey = step.chainKey
  }
  return {
    description: 'KDF_RK (HKDF salt=rk, info conch/v1/ratchet/root), KDF_CK (HMAC 0x01/0x02), ' +
      'message-key expansion (HKDF-Expand, 56 bytes = key 32 || nonce 24)',
    rootKey: toHex(rootKey),
    dhOutput: toHex(dhOutput),
    nextRootKey: toHex(root.rootKey),
    chainKey: toHex(root.chainKey),
    steps,
  }
}

// --- X3DH ------------------------------------------------------------------------------
function x3dhVectors() {
  const secrets = {
    aliceIdentity: bytes(0x40),
    aliceEphemeral: bytes(0x60),
    bobIdentity: bytes(0x80),
    bobSignedPreKey: bytes(0xa0),
    bobOneTimePreKey: bytes(0xc0),
  }
  const pub = Object.fromEntries(
    Object.entries(secrets).map(([k, v]) => [k, dhPublicKey(v)]),
  ) as Record<keyof typeof secrets, Uint8Array>
  const dh1 = dh(secrets.aliceIdentity, pub.bobSignedPreKey)
  const dh2 = dh(secrets.aliceEphemeral, pub.bobIdentity)
  const dh3 = dh(secrets.aliceEphemeral, pub.bobSignedPreKey)
  const dh4 = dh(secrets.aliceEphemeral, pub.bobOneTimePreKey)
  // Bob's side computes the same values from his secrets.
  same(dh1, dh(secrets.bobSignedPreKey, pub.aliceIdentity), 'DH1')
  same(dh2, dh(secrets.bobIdentity, pub.aliceEphemeral), 'DH2')
  same(dh3, dh(secrets.bobSignedPreKey, pub.aliceEphemeral), 'DH3')
  same(dh4, dh(secrets.bobOneTimePreKey, pub.aliceEphemeral), 'DH4')
  return {
    description: 'X3DH SK = HKDF(F = 32 x 0xFF || DH1 || DH2 || DH3 [|| DH4], salt = 32 zero ' +
      'bytes, info conch/v1/x3dh/shared-secret, 32)',
    secrets: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, toHex(v)])),
    publicKeys: Object.fromEntries(Object.entries(pub).map(([k, v]) => [k, toHex(v)])),
    dh1: toHex(dh1),
    dh2: toHex(dh2),
    dh3: toHex(dh3),
    dh4: toHex(dh4),
    sharedSecretWithOneTimePreKey: same(
      x3dhSharedSecret([dh1, dh2, dh3, dh4]),
      ref.x3dhKdf([dh1, dh2, dh3, dh4]),
      'SK with OPK',
    ),
    sharedSecretWithoutOneTimePreKey: same(
      x3dhSharedSecret([dh1, dh2, dh3]),
      ref.x3dhKdf([dh1, dh2, dh3]),
      'SK without OPK',
    ),
  }
}

// --- Ratchet transcript ----------------------------------------------------------------
async function transcriptVectors() {
  const real = await runTranscript(createNobleProvider, 'real')
  const reference = await runTranscript(createNobleProvider, 'reference')
  const steps = real.map((step, i) => ({
    from: step.from,
    plaintext: fromUtf8(step.plaintext),
    envelope: same(step.envelope, reference[i].envelope, `transcript step ${i}`),
  }))
  return {
    description: 'Seeded conversation (tests/crypto/transcript.ts): identities and prekeys from ' +
      'seededRandom(seed + 1), protocol randomness from seededRandom(seed); noble provider',
    seed: TRANSCRIPT_SEED,
    script: TRANSCRIPT_SCRIPT,
    steps,
  }
}

const here = new URL('.', import.meta.url)
const write = (name: string, value: unknown) =>
  Deno.writeTextFileSync(new URL(name, here), JSON.stringify(value, null, 2) + '\n')
write('crypto-kdf-chain.json', kdfChainVectors())
write('crypto-x3dh.json', x3dhVectors())
write('crypto-ratchet-transcript.json', await transcriptVectors())
console.log('wrote crypto-kdf-chain.json, crypto-x3dh.json, crypto-ratchet-transcript.json')
