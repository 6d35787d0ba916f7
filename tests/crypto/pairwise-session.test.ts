// Stories of two devices talking over a pairwise session, on every provider.

import { assert, assertEquals, assertRejectsWith } from './assert.ts'
import { fromUtf8, utf8 } from '../../crypto/codec/bytes.ts'
import { decodeRatchetState, encodeRatchetState } from '../../crypto/ratchet/ratchet-state-codec.ts'
import {
  acceptPairwise,
  decryptPairwise,
  encryptPairwise,
} from '../../crypto/session/pairwise-session.ts'
import { publicIdentity } from '../../crypto/x3dh/identity.ts'
import { initiateSession } from '../../crypto/x3dh/x3dh-initiate.ts'
import { allProviders } from './providers.ts'
import { bundleOf, establish, makeIdentity, makeResponder } from './fixtures.ts'

for (const provider of await allProviders()) {
  Deno.test(`[${provider.name}] Alice and Bob take turns; every message arrives once`, async () => {
    let { alice, bob } = await establish(provider)
    for (let turn = 0; turn < 6; turn++) {
      for (let i = 0; i < 3; i++) {
        const text = `a${turn}.${i}`
        const sent = await encryptPairwise(provider, alice, utf8(text))
        alice = sent.state
        const got = await decryptPairwise(provider, bob, sent.envelope)
        bob = got.state
        assertEquals(fromUtf8(got.plaintext), text)
      }
      const reply = await encryptPairwise(provider, bob, utf8(`b${turn}`))
      bob = reply.state
      const got = await decryptPairwise(provider, alice, reply.envelope)
      alice = got.state
      assertEquals(fromUtf8(got.plaintext), `b${turn}`)
    }
    assertEquals(alice.pendingInitial, undefined)
  })

  Deno.test(`[${provider.name}] Alice's first two messages arrive reversed; Bob reads both`, async () => {
    const aliceIdentity = await makeIdentity(provider)
    const bob_ = await makeResponder(provider, false)
    let alice = await initiateSession(provider, {
      identity: aliceIdentity,
      bundle: bundleOf(bob_),
      responder: publicIdentity(bob_.identity),
    })
    const one = await encryptPairwise(provider, alice, utf8('one'))
    const two = await encryptPairwise(provider, one.state, utf8('two'))
    alice = two.state
    const accepted = await acceptPairwise(provider, {
      identity: bob_.identity,
      initiator: publicIdentity(aliceIdentity),
      signedPreKey: bob_.signedPreKey,
      oneTimePreKey: undefined,
      seenBaseKeys: [],
    }, two.envelope)
    assertEquals(fromUtf8(accepted.plaintext), 'two')
    const first = await decryptPairwise(provider, accepted.state, one.envelope)
    assertEquals(fromUtf8(first.plaintext), 'one')
    await assertRejectsWith(decryptPairwise(provider, first.state, one.envelope), 'protocol/replay')
  })

  Deno.test(`[${provider.name}] a session saved and loaded keeps talking and still refuses replays`, async () => {
    let { alice, bob } = await establish(provider)
    const sent = await encryptPairwise(provider, alice, utf8('before restart'))
    alice = sent.state
    bob = (await decryptPairwise(provider, bob, sent.envelope)).state
    bob = decodeRatchetState(encodeRatchetState(bob))
    alice = decodeRatchetState(encodeRatchetState(alice))
    await assertRejectsWith(decryptPairwise(provider, bob, sent.envelope), 'protocol/replay')
    const reply = await encryptPairwise(provider, bob, utf8('after restart'))
    const got = await decryptPairwise(provider, alice, reply.envelope)
    assertEquals(fromUtf8(got.plaintext), 'after restart')
    assert(encodeRatchetState(got.state).length > 0)
  })
}
