// Property tests: every single-bit flip and every truncation of a pairwise envelope or a
// sender-key message is rejected with a typed error and leaves the receiver's state unchanged;
// every delivery order within the skip window decrypts each message exactly once.

import fc from 'fast-check'
import { assert, assertEquals } from './assert.ts'
import { fromUtf8, toHex, utf8 } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import { createNodeCryptoProvider } from '../../crypto/provider/node-crypto-provider.ts'
import { createWebCryptoProvider } from '../../crypto/provider/webcrypto-provider.ts'
import { encodeRatchetState } from '../../crypto/ratchet/ratchet-state-codec.ts'
import { decryptPairwise, encryptPairwise } from '../../crypto/session/pairwise-session.ts'
import { createSenderChain, encodeSenderChainState } from '../../crypto/sender-keys/sender-chain.ts'
import { senderDecrypt, senderEncrypt } from '../../crypto/sender-keys/sender-cipher.ts'
import {
  encodeDistributionMessage,
  processDistribution,
} from '../../crypto/sender-keys/distribution-message.ts'
import { establish } from './fixtures.ts'

// The fast engine keeps hundreds of runs cheap; provider equivalence is shown elsewhere.
const p: CryptoProvider = (await createNodeCryptoProvider()) ?? (await createWebCryptoProvider())

async function rejectedUnchanged(
  run: () => Promise<unknown>,
  snapshot: () => string,
): Promise<void> {
  const before = snapshot()
  let error: unknown
  try {
    await run()
  } catch (e) {
    error = e
  }
  assert(error !== undefined, 'tampered input was accepted')
  assert(isConchError(error), `untyped error: ${error}`)
  assertEquals(snapshot(), before)
}

Deno.test('every bit flip or truncation of a pairwise envelope is rejected, state unchanged', async () => {
  let { alice, bob } = await establish(p)
  // One round trip so both an initial-style and a plain ratchet envelope are covered.
  const reply = await encryptPairwise(p, bob, utf8('reply'))
  bob = reply.state
  alice = (await decryptPairwise(p, alice, reply.envelope)).state
  const sent = await encryptPairwise(p, alice, utf8('the real message'))
  const envelopes = [sent.envelope, reply.envelope]
  const receivers = [bob, alice]
  await fc.assert(
    fc.asyncProperty(
      fc.nat(1),
      fc.nat(10_000),
      fc.nat(7),
      fc.boolean(),
      async (which, at, bit, cut) => {
        const original = envelopes[which]
        const state = receivers[which]
        const tampered = cut ? original.slice(0, at % original.length) : (() => {
          const t = original.slice()
          t[at % t.length] ^= 1 << bit
          return t
        })()
        const snapshot = () => toHex(encodeRatchetState(state))
        if (which === 1) {
          // Alice already read the reply: even the intact bytes are a replay.
          await rejectedUnchanged(() => decryptPairwise(p, state, tampered), snapshot)
        } else {
          await rejectedUnchanged(() => decryptPairwise(p, state, tampered), snapshot)
        }
      },
    ),
    { numRuns: 300 },
  )
  // And the untouched message still decrypts.
  assertEquals(
    fromUtf8((await decryptPairwise(p, bob, sent.envelope)).plaintext),
    'the real message',
  )
})

Deno.test('every bit flip or truncation of a sender-key message is rejected, state unchanged', async () => {
  const own = await createSenderChain(p, {
    channelId: utf8('#ops'),
    epoch: 2,
    deviceId: utf8('alice'),
  })
  const bob = processDistribution(utf8('alice'), encodeDistributionMessage(own))
  const { message } = await senderEncrypt(p, own, utf8('channel post'))
  const snapshot = () => toHex(encodeSenderChainState(bob))
  await fc.assert(
    fc.asyncProperty(fc.nat(10_000), fc.nat(7), fc.boolean(), async (at, bit, cut) => {
      const tampered = cut ? message.slice(0, at % message.length) : message.slice()
      if (!cut) tampered[at % tampered.length] ^= 1 << bit
      await rejectedUnchanged(() => senderDecrypt(p, bob, tampered), snapshot)
    }),
    { numRuns: 300 },
  )
  assertEquals(fromUtf8((await senderDecrypt(p, bob, message)).plaintext), 'channel post')
})

Deno.test('any delivery order of a three-chain transcript decrypts every message exactly once', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
      fc.infiniteStream(fc.nat()),
      async (chainLengths, picks) => {
        let { alice, bob } = await establish(p)
        const held: { bytes: Uint8Array; text: string }[] = []
        // Each chain: Alice sends k messages; Bob sees the last (so he can ratchet) and replies.
        for (const [c, k] of chainLengths.entries()) {
          for (let i = 0; i < k; i++) {
            const sent = await encryptPairwise(p, alice, utf8(`c${c}m${i}`))
            alice = sent.state
            held.push({ bytes: sent.envelope, text: `c${c}m${i}` })
          }
          const last = held.pop()!
          const got = await decryptPairwise(p, bob, last.bytes)
          bob = got.state
          assertEquals(fromUtf8(got.plaintext), last.text)
          const reply = await encryptPairwise(p, bob, utf8('ack'))
          bob = reply.state
          alice = (await decryptPairwise(p, alice, reply.envelope)).state
        }
        // Deliver the held messages (across chains and the PN boundary) in a random order.
        const order = [...held]
        const it = picks[Symbol.iterator]()
        const seen = new Set<string>()
        while (order.length) {
          const [m] = order.splice(it.next().value % order.length, 1)
          const got = await decryptPairwise(p, bob, m.bytes)
          bob = got.state
          assertEquals(fromUtf8(got.plaintext), m.text)
          seen.add(m.text)
          let again = false
          try {
            await decryptPairwise(p, bob, m.bytes)
            again = true
          } catch { /* refused, as it must be */ }
          assert(!again, 'a message decrypted twice')
        }
        assertEquals(seen.size, held.length)
        assertEquals(bob.skipped.length, 0)
      },
    ),
    { numRuns: 60 },
  )
})
