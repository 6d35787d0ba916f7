// Attacks on session setup (X3DH), each its own story: a bundle that is not what the responder
// signed, low-order keys anywhere, replayed or re-attributed initial messages.

import { assertEquals, assertRejectsWith } from './assert.ts'
import { fromUtf8, utf8 } from '../../crypto/codec/bytes.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import { signLabelled } from '../../crypto/provider/labelled.ts'
import { acceptPairwise, encryptPairwise } from '../../crypto/session/pairwise-session.ts'
import {
  decodePairwiseEnvelope,
  encodePairwiseEnvelope,
} from '../../crypto/session/pairwise-envelope.ts'
import { publicIdentity } from '../../crypto/x3dh/identity.ts'
import {
  type PrekeyBundle,
  SIGNED_PREKEY_CONTEXT,
  signedPreKeyPayload,
} from '../../crypto/x3dh/prekey-bundle.ts'
import { initiateSession } from '../../crypto/x3dh/x3dh-initiate.ts'
import { counting } from './counting-provider.ts'
import { bundleOf, makeIdentity, makeResponder, type Responder } from './fixtures.ts'

const provider = createNobleProvider()
const ZERO = new Uint8Array(32)

async function start(bundle: PrekeyBundle, responder: Responder, spy = counting(provider)) {
  const alice = await makeIdentity(provider)
  const session = initiateSession(spy, {
    identity: alice,
    bundle,
    responder: publicIdentity(responder.identity),
  })
  return { session, spy }
}

Deno.test('a bundle whose prekey signature is bad aborts before any key agreement', async () => {
  const bob = await makeResponder(provider)
  const bundle = bundleOf(bob)
  const forgedSig = bundle.signedPreKeySignature.slice()
  forgedSig[5] ^= 1
  const { session, spy } = await start({ ...bundle, signedPreKeySignature: forgedSig }, bob)
  await assertRejectsWith(session, 'crypto/bad-signature')
  assertEquals(spy.counts.dh, 0)
  assertEquals(spy.counts.generate, 0)
})

Deno.test("a prekey signed by another key (Mallory's) is refused: it is checked with Bob's key", async () => {
  const bob = await makeResponder(provider)
  const mallory = await makeIdentity(provider)
  const spk = await provider.generateDhKeyPair()
  const payload = signedPreKeyPayload(bob.identity.dh.publicKey, 1, spk.publicKey)
  const signature = await signLabelled(provider, mallory.signing, SIGNED_PREKEY_CONTEXT, payload)
  const bundle = { ...bundleOf(bob), signedPreKey: spk.publicKey, signedPreKeySignature: signature }
  const { session, spy } = await start(bundle, bob)
  await assertRejectsWith(session, 'crypto/bad-signature')
  assertEquals(spy.counts.dh, 0)
})

Deno.test('a bundle claiming an identity other than the certified responder is refused', async () => {
  const bob = await makeResponder(provider)
  const mallory = await makeResponder(provider)
  // Mallory's own, validly signed bundle, offered as Bob's.
  const { session } = await start(bundleOf(mallory), bob)
  await assertRejectsWith(session, 'protocol/wrong-sender')
})

Deno.test('a prekey signature from another context (a channel message) is not a prekey signature', async () => {
  const bob = await makeResponder(provider)
  const bundle = bundleOf(bob)
  const payload = signedPreKeyPayload(bob.identity.dh.publicKey, 1, bundle.signedPreKey)
  const wrongContext = await signLabelled(
    provider,
    bob.identity.signing,
    'sender-keys/message',
    payload,
  )
  const { session } = await start({ ...bundle, signedPreKeySignature: wrongContext }, bob)
  await assertRejectsWith(session, 'crypto/bad-signature')
})

Deno.test('low-order keys in a bundle (signed prekey, one-time prekey, identity) are refused', async () => {
  const bob = await makeResponder(provider)
  // Bob himself signed a low-order signed prekey (a broken or malicious responder).
  const payload = signedPreKeyPayload(bob.identity.dh.publicKey, 1, ZERO)
  const sig = await signLabelled(provider, bob.identity.signing, SIGNED_PREKEY_CONTEXT, payload)
  const badSpk = { ...bundleOf(bob), signedPreKey: ZERO, signedPreKeySignature: sig }
  await assertRejectsWith((await start(badSpk, bob)).session, 'crypto/low-order')
  const badOpk = { ...bundleOf(bob), oneTimePreKey: { id: 7, publicKey: ZERO } }
  await assertRejectsWith((await start(badOpk, bob)).session, 'crypto/low-order')
  // A low-order identity DH key, with a prekey signature made for it.
  const lowIdentity = { signingKey: bob.identity.signing.publicKey, dhKey: ZERO }
  const spkPayload = signedPreKeyPayload(ZERO, 1, bob.signedPreKey.keyPair.publicKey)
  const spkSig = await signLabelled(
    provider,
    bob.identity.signing,
    SIGNED_PREKEY_CONTEXT,
    spkPayload,
  )
  const badIdentity = { ...bundleOf(bob), identity: lowIdentity, signedPreKeySignature: spkSig }
  const alice = await makeIdentity(provider)
  await assertRejectsWith(
    initiateSession(provider, { identity: alice, bundle: badIdentity, responder: lowIdentity }),
    'crypto/low-order',
  )
})

async function firstEnvelope(bob: Responder) {
  const aliceIdentity = await makeIdentity(provider)
  const alice = await initiateSession(provider, {
    identity: aliceIdentity,
    bundle: bundleOf(bob),
    responder: publicIdentity(bob.identity),
  })
  const { envelope } = await encryptPairwise(provider, alice, utf8('first'))
  return { aliceIdentity, envelope }
}

function accept(
  bob: Responder,
  initiator: ReturnType<typeof publicIdentity>,
  seen: Uint8Array[] = [],
) {
  return {
    identity: bob.identity,
    initiator,
    signedPreKey: bob.signedPreKey,
    oneTimePreKey: bob.oneTimePreKey,
    seenBaseKeys: seen,
  }
}

Deno.test('a low-order ephemeral (base) key in an initial message is refused', async () => {
  const bob = await makeResponder(provider, false)
  const { aliceIdentity, envelope } = await firstEnvelope(bob)
  const decoded = decodePairwiseEnvelope(envelope)
  if (decoded.type !== 'initial') throw new Error('expected initial')
  const evil = encodePairwiseEnvelope({
    type: 'initial',
    initial: { ...decoded.initial, baseKey: ZERO },
  })
  await assertRejectsWith(
    acceptPairwise(provider, accept(bob, publicIdentity(aliceIdentity)), evil),
    'crypto/low-order',
  )
})

Deno.test('an initial message without a one-time prekey, replayed, is refused by the base-key cache', async () => {
  const bob = await makeResponder(provider, false)
  const { aliceIdentity, envelope } = await firstEnvelope(bob)
  const first = await acceptPairwise(provider, accept(bob, publicIdentity(aliceIdentity)), envelope)
  assertEquals(fromUtf8(first.plaintext), 'first')
  assertEquals(first.seenBaseKeys.length, 1)
  await assertRejectsWith(
    acceptPairwise(
      provider,
      accept(bob, publicIdentity(aliceIdentity), [...first.seenBaseKeys]),
      envelope,
    ),
    'protocol/replay',
  )
})

Deno.test('an initial message naming a consumed one-time prekey is refused, with no fallback', async () => {
  const bob = await makeResponder(provider, true)
  const { aliceIdentity, envelope } = await firstEnvelope(bob)
  const first = await acceptPairwise(provider, accept(bob, publicIdentity(aliceIdentity)), envelope)
  assertEquals(first.consumedOneTimePreKeyId, 7)
  // Bob deleted prekey 7 as told; the same message comes again.
  const withoutOtpk = { ...accept(bob, publicIdentity(aliceIdentity)), oneTimePreKey: undefined }
  await assertRejectsWith(
    acceptPairwise(provider, withoutOtpk, envelope),
    'protocol/unknown-prekey',
  )
})

Deno.test('an initial message accepted from Alice, re-presented as from Mallory, is refused', async () => {
  const bob = await makeResponder(provider, false)
  const mallory = await makeIdentity(provider)
  const { envelope } = await firstEnvelope(bob)
  await assertRejectsWith(
    acceptPairwise(provider, accept(bob, publicIdentity(mallory)), envelope),
    'protocol/wrong-sender',
  )
})

Deno.test('an initial message whose claimed initiator identity was swapped fails authentication', async () => {
  const bob = await makeResponder(provider, false)
  const mallory = await makeIdentity(provider)
  const { envelope } = await firstEnvelope(bob)
  const decoded = decodePairwiseEnvelope(envelope)
  if (decoded.type !== 'initial') throw new Error('expected initial')
  const swapped = encodePairwiseEnvelope({
    type: 'initial',
    initial: { ...decoded.initial, initiator: publicIdentity(mallory) },
  })
  await assertRejectsWith(
    acceptPairwise(provider, accept(bob, publicIdentity(mallory)), swapped),
    'crypto/auth-failed',
  )
})
