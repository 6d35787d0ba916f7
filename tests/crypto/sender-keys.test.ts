// Channel stories under Sender Keys: Alice, Bob and Carol in a channel; what members can read,
// what relays can check, and what a removed member or a forwarding insider cannot do.

import { assert, assertEquals, assertRejectsWith } from './assert.ts'
import { fromUtf8, toHex, utf8 } from '../../crypto/codec/bytes.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import {
  createSenderChain,
  decodeSenderChainState,
  encodeSenderChainState,
  MAX_SENDER_JUMP,
  type SenderChainState,
} from '../../crypto/sender-keys/sender-chain.ts'
import {
  senderDecrypt,
  senderDecryptMany,
  senderEncrypt,
  verifySenderKeyMessage,
} from '../../crypto/sender-keys/sender-cipher.ts'
import { decodeSenderKeyMessage } from '../../crypto/sender-keys/sender-key-message.ts'
import {
  encodeDistributionMessage,
  processDistribution,
} from '../../crypto/sender-keys/distribution-message.ts'
import { allProviders } from './providers.ts'
import { counting } from './counting-provider.ts'

const ALICE = utf8('alice-phone')
const BOB = utf8('bob-laptop')
const CAROL = utf8('carol-phone')
const GENERAL = utf8('#general')
const RANDOM = utf8('#random')

function aliceChain(p: CryptoProvider, channelId = GENERAL, epoch = 0) {
  return createSenderChain(p, { channelId, epoch, deviceId: ALICE })
}

/** Alice's chain as Bob holds it, received over his pairwise session with Alice. */
function bobsCopy(own: SenderChainState): SenderChainState {
  return processDistribution(ALICE, encodeDistributionMessage(own))
}

for (const p of await allProviders()) {
  Deno.test(`[${p.name}] catching up on a batch: good ones read, forged and replayed ones refused`, async () => {
    let own = await aliceChain(p)
    const bob = bobsCopy(own)
    const sent: Uint8Array[] = []
    for (let i = 0; i < 5; i++) {
      const r = await senderEncrypt(p, own, utf8(`batch ${i}`))
      own = r.state
      sent.push(r.message)
    }
    const forged = sent[2].slice()
    forged[forged.length - 5] ^= 1
    const batch = [sent[1], sent[0], forged, sent[4], sent[0], Uint8Array.of(1, 2), sent[3]]
    const { state, results } = await senderDecryptMany(p, bob, batch)
    const summary = results.map((r) => 'plaintext' in r ? fromUtf8(r.plaintext) : r.error.code)
    assertEquals(summary, [
      'batch 1',
      'batch 0',
      'crypto/bad-signature',
      'batch 4',
      'protocol/replay',
      'codec/truncated',
      'batch 3',
    ])
    // The real message 2 still decrypts afterwards.
    assertEquals(fromUtf8((await senderDecrypt(p, state, sent[2])).plaintext), 'batch 2')
  })

  Deno.test(`[${p.name}] Alice posts; Bob reads in any order, each message exactly once`, async () => {
    let own = await aliceChain(p)
    let bob = bobsCopy(own)
    const sent: Uint8Array[] = []
    for (let i = 0; i < 6; i++) {
      const r = await senderEncrypt(p, own, utf8(`post ${i}`))
      own = r.state
      sent.push(r.message)
    }
    for (const i of [2, 0, 5, 1, 4, 3]) {
      const r = await senderDecrypt(p, bob, sent[i])
      bob = r.state
      assertEquals(fromUtf8(r.plaintext), `post ${i}`)
      await assertRejectsWith(senderDecrypt(p, bob, sent[i]), 'protocol/replay')
    }
    assertEquals(bob.skipped.length, 0)
  })

  Deno.test(`[${p.name}] a relay holding only Alice's public key can verify authorship`, async () => {
    const own = await aliceChain(p)
    const { message } = await senderEncrypt(p, own, utf8('hi'))
    const decoded = decodeSenderKeyMessage(message)
    assert(await verifySenderKeyMessage(p, own.signingPublicKey, decoded))
    const tampered = message.slice()
    tampered[tampered.length - 70] ^= 1
    assertEquals(
      await verifySenderKeyMessage(p, own.signingPublicKey, decodeSenderKeyMessage(tampered)),
      false,
    )
  })
}

const p = (await allProviders())[0]

Deno.test('a bad signature is refused before any key is derived; state unchanged', async () => {
  const own = await aliceChain(p)
  const bob = bobsCopy(own)
  const { message } = await senderEncrypt(p, own, utf8('signed'))
  const forged = message.slice()
  forged[forged.length - 1] ^= 0x80
  const before = toHex(encodeSenderChainState(bob))
  await assertRejectsWith(senderDecrypt(p, bob, forged), 'crypto/bad-signature')
  assertEquals(toHex(encodeSenderChainState(bob)), before)
  // A ciphertext flip is caught by the signature too (it covers the ciphertext).
  const flipped = message.slice()
  flipped[flipped.length - 64 - 3] ^= 1
  await assertRejectsWith(senderDecrypt(p, bob, flipped), 'crypto/bad-signature')
})

Deno.test('ciphertext from channel A is refused in channel B, and from epoch e in epoch e+1', async () => {
  const inGeneral = await aliceChain(p, GENERAL, 3)
  const inRandom = await aliceChain(p, RANDOM, 3)
  const nextEpoch = await aliceChain(p, GENERAL, 4)
  const { message } = await senderEncrypt(p, inGeneral, utf8('general only'))
  await assertRejectsWith(senderDecrypt(p, bobsCopy(inRandom), message), 'protocol/wrong-context')
  await assertRejectsWith(senderDecrypt(p, bobsCopy(nextEpoch), message), 'protocol/wrong-context')
  // Even with the right key, a chain relabelled to another channel cannot read it: the channel
  // and epoch are in the associated data and under the signature.
  const relabelled: SenderChainState = { ...bobsCopy(inGeneral), channelId: RANDOM }
  await assertRejectsWith(senderDecrypt(p, relabelled, message), 'protocol/wrong-context')
})

Deno.test("a removed member's old chain cannot decrypt the next epoch", async () => {
  // Epoch 0: Alice, Bob and Carol. Carol keeps Alice's epoch-0 chain.
  let epoch0 = await aliceChain(p, GENERAL, 0)
  const carolsOld = bobsCopy(epoch0)
  const r0 = await senderEncrypt(p, epoch0, utf8('before removal'))
  epoch0 = r0.state
  assertEquals(
    fromUtf8((await senderDecrypt(p, carolsOld, r0.message)).plaintext),
    'before removal',
  )
  // Carol is removed: Alice starts epoch 1 and sends it to Bob only.
  const epoch1 = await aliceChain(p, GENERAL, 1)
  const bobs = bobsCopy(epoch1)
  const r1 = await senderEncrypt(p, epoch1, utf8('after removal'))
  assertEquals(fromUtf8((await senderDecrypt(p, bobs, r1.message)).plaintext), 'after removal')
  await assertRejectsWith(senderDecrypt(p, carolsOld, r1.message), 'protocol/wrong-context')
  // Carol relabels her old chain as epoch 1: the new chain's signing key is not hers to know.
  const forcedEpoch: SenderChainState = { ...carolsOld, epoch: 1 }
  await assertRejectsWith(senderDecrypt(p, forcedEpoch, r1.message), 'crypto/bad-signature')
  // And with the right public signing key copied in, her old chain key still cannot decrypt.
  const withKey: SenderChainState = { ...forcedEpoch, signingPublicKey: epoch1.signingPublicKey }
  await assertRejectsWith(senderDecrypt(p, withKey, r1.message), 'crypto/auth-failed')
})

Deno.test("a distribution message for Carol arriving over Bob's session is refused", async () => {
  const carols = await createSenderChain(p, { channelId: GENERAL, epoch: 0, deviceId: CAROL })
  const distribution = encodeDistributionMessage(carols)
  let code = ''
  try {
    processDistribution(BOB, distribution)
  } catch (e) {
    code = (e as { code: string }).code
  }
  assertEquals(code, 'protocol/wrong-sender')
  assertEquals(processDistribution(CAROL, distribution).deviceId, CAROL)
})

Deno.test('an iteration jump beyond the bound is refused without deriving or verifying', async () => {
  let own = await aliceChain(p)
  const bob = bobsCopy(own)
  own = { ...own, iteration: MAX_SENDER_JUMP + 1 }
  const { message } = await senderEncrypt(p, own, utf8('far ahead'))
  const spy = counting(p)
  await assertRejectsWith(senderDecrypt(spy, bob, message), 'protocol/too-many-skipped')
  assertEquals(spy.counts.verify, 0)
})

Deno.test('replays are refused after the receiving chain is saved and loaded', async () => {
  let own = await aliceChain(p)
  let bob = bobsCopy(own)
  const r = await senderEncrypt(p, own, utf8('once'))
  own = r.state
  bob = (await senderDecrypt(p, bob, r.message)).state
  const reloaded = decodeSenderChainState(encodeSenderChainState(bob))
  assertEquals(reloaded, bob)
  await assertRejectsWith(senderDecrypt(p, reloaded, r.message), 'protocol/replay')
})

Deno.test('a member who joins late gets the chain from its current iteration only', async () => {
  let own = await aliceChain(p)
  const early = await senderEncrypt(p, own, utf8('before you joined'))
  own = early.state
  const late = bobsCopy(own)
  const next = await senderEncrypt(p, own, utf8('welcome'))
  await assertRejectsWith(senderDecrypt(p, late, early.message), 'protocol/replay')
  assertEquals(fromUtf8((await senderDecrypt(p, late, next.message)).plaintext), 'welcome')
})

Deno.test('caller context (an envelope header) is bound in: a different context cannot decrypt', async () => {
  const own = await aliceChain(p)
  const bob = bobsCopy(own)
  const header = utf8('envelope header v1')
  const { message } = await senderEncrypt(p, own, utf8('bound'), { context: header })
  await assertRejectsWith(
    senderDecrypt(p, bob, message, { context: utf8('another header') }),
    'crypto/auth-failed',
  )
  await assertRejectsWith(senderDecrypt(p, bob, message), 'crypto/auth-failed')
  assertEquals(
    fromUtf8((await senderDecrypt(p, bob, message, { context: header })).plaintext),
    'bound',
  )
})

Deno.test('a caller that authenticated the bytes itself may skip the signature, nothing else', async () => {
  const own = await aliceChain(p)
  const bob = bobsCopy(own)
  const { message } = await senderEncrypt(p, own, utf8('chained'))
  const spy = counting(p)
  const got = await senderDecrypt(spy, bob, message, { authenticatedByCaller: true })
  assertEquals([fromUtf8(got.plaintext), spy.counts.verify], ['chained', 0])
  // The AEAD still guards the content: a flipped ciphertext byte fails even unsigned.
  const flipped = message.slice()
  flipped[flipped.length - 64 - 3] ^= 1
  await assertRejectsWith(
    senderDecrypt(p, bob, flipped, { authenticatedByCaller: true }),
    'crypto/auth-failed',
  )
})
