// Attacks on an established Double Ratchet session, each its own story. Every rejection must
// leave the session's serialized bytes exactly as they were, and the next genuine message must
// still decrypt.

import { assert, assertEquals, assertNotEquals, assertRejectsWith } from './assert.ts'
import { fromUtf8, toHex, utf8 } from '../../crypto/codec/bytes.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { seal } from '../../crypto/primitives/aead.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import { encodeAssociatedData } from '../../crypto/ratchet/associated-data.ts'
import { ratchetDecrypt } from '../../crypto/ratchet/ratchet-decrypt.ts'
import { encodeRatchetHeader, encodeRatchetMessage } from '../../crypto/ratchet/ratchet-message.ts'
import {
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  type RatchetState,
} from '../../crypto/ratchet/ratchet-state.ts'
import { decodeRatchetState, encodeRatchetState } from '../../crypto/ratchet/ratchet-state-codec.ts'
import { decodePairwiseEnvelope } from '../../crypto/session/pairwise-envelope.ts'
import { decryptPairwise, encryptPairwise } from '../../crypto/session/pairwise-session.ts'
import { counting } from './counting-provider.ts'
import { establish } from './fixtures.ts'

const provider = createNobleProvider()

/** A ratchet message with a chosen header and garbage ciphertext: what a forger can make. */
function forged(ratchetKey: Uint8Array, previousChainLength: number, messageNumber: number) {
  const header = encodeRatchetHeader({ ratchetKey, previousChainLength, messageNumber })
  const garbage = seal(new Uint8Array(32).fill(9), new Uint8Array(24), utf8('evil'), header)
  const inner = encodeRatchetMessage(header, garbage)
  return new Writer().u8(1).u8(2).raw(inner).finish()
}

/** Alice and Bob after a full round trip: Alice's next messages are plain ratchet messages. */
async function bobAfterOneMessage() {
  const pair = await establish(provider)
  const reply = await encryptPairwise(provider, pair.bob, utf8('hi alice'))
  const alice = (await decryptPairwise(provider, pair.alice, reply.envelope)).state
  const sent = await encryptPairwise(provider, alice, utf8('warm-up'))
  const bob = (await decryptPairwise(provider, reply.state, sent.envelope)).state
  return { alice: sent.state, bob }
}

Deno.test('a forged header with n = Nr+500 is rejected, Bob is unchanged, the next real message decrypts', async () => {
  const { alice, bob } = await bobAfterOneMessage()
  const before = encodeRatchetState(bob)
  const attack = forged(bob.receivingRatchetKey!, 0, bob.receivingCount + 500)
  await assertRejectsWith(decryptPairwise(provider, bob, attack), 'crypto/auth-failed')
  assertEquals(toHex(encodeRatchetState(bob)), toHex(before))
  const real = await encryptPairwise(provider, alice, utf8('still here'))
  const got = await decryptPairwise(provider, bob, real.envelope)
  assertEquals(fromUtf8(got.plaintext), 'still here')
})

Deno.test('n beyond MAX_SKIP is refused before any key is derived or any DH is run', async () => {
  const { bob } = await bobAfterOneMessage()
  const spy = counting(provider)
  const before = encodeRatchetState(bob)
  const sameChain = forged(bob.receivingRatchetKey!, 0, bob.receivingCount + MAX_SKIP + 1)
  await assertRejectsWith(decryptPairwise(spy, bob, sameChain), 'protocol/too-many-skipped')
  const newKey = (await provider.generateDhKeyPair()).publicKey
  await assertRejectsWith(
    decryptPairwise(spy, bob, forged(newKey, 0, MAX_SKIP + 1)),
    'protocol/too-many-skipped',
  )
  await assertRejectsWith(
    decryptPairwise(spy, bob, forged(newKey, bob.receivingCount + MAX_SKIP + 1, 0)),
    'protocol/too-many-skipped',
  )
  assertEquals(spy.counts.dh, 0)
  assertEquals(toHex(encodeRatchetState(bob)), toHex(before))
})

Deno.test('a forged new ratchet key (DH step) is rejected and leaves the state byte-identical', async () => {
  const { alice, bob } = await bobAfterOneMessage()
  const before = encodeRatchetState(bob)
  const newKey = (await provider.generateDhKeyPair()).publicKey
  await assertRejectsWith(
    decryptPairwise(provider, bob, forged(newKey, 1, 3)),
    'crypto/auth-failed',
  )
  assertEquals(toHex(encodeRatchetState(bob)), toHex(before))
  const real = await encryptPairwise(provider, alice, utf8('ok'))
  assertEquals(fromUtf8((await decryptPairwise(provider, bob, real.envelope)).plaintext), 'ok')
})

Deno.test('low-order ratchet keys in a header are refused (crypto/low-order), state unchanged', async () => {
  const { bob } = await bobAfterOneMessage()
  const before = encodeRatchetState(bob)
  const lowOrder = [
    new Uint8Array(32),
    Uint8Array.of(1, ...new Uint8Array(31)),
    // 325606250916557431795983626356110631294008115727848805560023387167927233504 (order 8)
    Uint8Array.from(
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'.match(/../g)!.map((h) =>
        parseInt(h, 16)
      ),
    ),
  ]
  for (const key of lowOrder) {
    await assertRejectsWith(decryptPairwise(provider, bob, forged(key, 0, 0)), 'crypto/low-order')
  }
  assertEquals(toHex(encodeRatchetState(bob)), toHex(before))
})

Deno.test('a delivered message replayed is refused: same chain, after a DH step, after a restart', async () => {
  let { alice, bob } = await establish(provider)
  const first = await encryptPairwise(provider, alice, utf8('once'))
  alice = first.state
  bob = (await decryptPairwise(provider, bob, first.envelope)).state
  await assertRejectsWith(decryptPairwise(provider, bob, first.envelope), 'protocol/replay')
  // Bob replies, Alice answers on a new chain: Bob has taken a DH step.
  const reply = await encryptPairwise(provider, bob, utf8('reply'))
  bob = reply.state
  alice = (await decryptPairwise(provider, alice, reply.envelope)).state
  const next = await encryptPairwise(provider, alice, utf8('new chain'))
  bob = (await decryptPairwise(provider, bob, next.envelope)).state
  await assertRejectsWith(decryptPairwise(provider, bob, first.envelope), 'protocol/replay')
  const restarted = decodeRatchetState(encodeRatchetState(bob))
  await assertRejectsWith(decryptPairwise(provider, restarted, first.envelope), 'protocol/replay')
  await assertRejectsWith(decryptPairwise(provider, restarted, next.envelope), 'protocol/replay')
})

Deno.test('skipping 3x the store cap across DH steps never stores more than the cap; evicted keys fail cleanly', async () => {
  let { alice, bob } = await establish(provider)
  const held: Uint8Array[] = []
  for (let round = 0; round < 7; round++) {
    // Alice sends MAX_SKIP messages; Bob sees only the last one of each chain.
    let last: Uint8Array | undefined
    for (let i = 0; i < MAX_SKIP; i++) {
      const sent = await encryptPairwise(provider, alice, utf8(`r${round}m${i}`))
      alice = sent.state
      if (last) held.push(last)
      last = sent.envelope
    }
    bob = (await decryptPairwise(provider, bob, last!)).state
    assert(bob.skipped.length <= MAX_SKIPPED_KEYS)
    const reply = await encryptPairwise(provider, bob, utf8('ack'))
    bob = reply.state
    alice = (await decryptPairwise(provider, alice, reply.envelope)).state
  }
  assertEquals(bob.skipped.length, MAX_SKIPPED_KEYS)
  // The oldest held message's key was evicted: it fails as a replay of a finished chain.
  const oldest = held[0]
  const before = encodeRatchetState(bob)
  let failed = false
  try {
    await decryptPairwise(provider, bob, oldest)
  } catch {
    failed = true
  }
  assert(failed)
  assertEquals(toHex(encodeRatchetState(bob)), toHex(before))
  // The newest held message still has its key.
  const got = await decryptPairwise(provider, bob, held[held.length - 1])
  assertEquals(fromUtf8(got.plaintext), `r6m${MAX_SKIP - 2}`)
})

Deno.test('flipping any header field (key, PN, N) makes the message fail authentication', async () => {
  const { alice, bob } = await bobAfterOneMessage()
  const sent = await encryptPairwise(provider, alice, utf8('intact'))
  const decoded = decodePairwiseEnvelope(sent.envelope)
  assert(decoded.type === 'ratchet')
  // Envelope: version, type, then header: version(1) key(32) pn n.
  for (const offset of [3, 20, 34, 35, 36]) {
    const bad = sent.envelope.slice()
    bad[offset] ^= 0x01
    let failed = false
    try {
      await decryptPairwise(provider, bob, bad)
    } catch {
      failed = true
    }
    assert(failed, `offset ${offset}`)
  }
})

Deno.test('the associated data of ("ab", H) differs from ("a", "b"||H)', () => {
  const H = utf8('header')
  const ab = encodeAssociatedData('ratchet/message', [utf8('ab'), H])
  const a = encodeAssociatedData('ratchet/message', [
    utf8('a'),
    new Uint8Array([...utf8('b'), ...H]),
  ])
  assertNotEquals(toHex(ab), toHex(a))
})

Deno.test('the associated data binds both identities: a session with a swapped identity cannot read', async () => {
  const { alice, bob } = await bobAfterOneMessage()
  const sent = await encryptPairwise(provider, alice, utf8('for bob'))
  const impostor: RatchetState = {
    ...bob,
    remoteIdentity: { ...bob.remoteIdentity, signingKey: new Uint8Array(32).fill(7) },
  }
  await assertRejectsWith(decryptPairwise(provider, impostor, sent.envelope), 'crypto/auth-failed')
  const raw = decodePairwiseEnvelope(sent.envelope)
  assert(raw.type === 'ratchet')
  assertEquals(fromUtf8((await ratchetDecrypt(provider, bob, raw.message)).plaintext), 'for bob')
})
