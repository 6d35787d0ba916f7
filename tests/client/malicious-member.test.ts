// Stories of a malicious member device (a valid certificate, hostile bytes): every attempt is
// rejected at every receiver, counted by reason, and leaves their documents unchanged.
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { ChannelEngine } from '../../client/engine/channel-engine.ts'
import { signLabelled } from '../../crypto/provider/labelled.ts'
import {
  decodeEnvelope,
  encodeEnvelope,
  encodeSignedPart,
  ENVELOPE_SIGNATURE_CONTEXT,
} from '../../client/sync/envelope.ts'
import { decodeFrame, encodeFrame, FRAME_ENVELOPES } from '../../client/sync/frames.ts'
import type { PeerLink } from '../../client/transport/peer-link.ts'
import { connect, settle } from './in-process-link.ts'
import { OrgWorld } from './org-world.ts'

const sink: PeerLink = { id: 'sink', kind: 'memory', send: () => {} }

async function threeMembers(seed: number, channel: { broadcast?: boolean } = {}) {
  const world = await OrgWorld.create(seed, channel)
  await world.addDevice('alice', ['member', 'publisher'])
  await world.addDevice('bob')
  await world.addDevice('mallory')
  const alice = await world.open('alice')
  const bob = await world.open('bob')
  const mallory = await world.open('mallory')
  connect(alice, bob)
  connect(alice, mallory)
  connect(bob, mallory)
  await settle(alice, bob, mallory)
  return { world, alice, bob, mallory }
}

const snapshot = (e: ChannelEngine) =>
  JSON.stringify(e.messages().map(({ delivery: _, ...m }) => m))

function envelopesSentBy(link: { sentByA: Uint8Array[] }): Uint8Array[] {
  return link.sentByA.map(decodeFrame).flatMap((f) => f.type === FRAME_ENVELOPES ? f.envelopes : [])
}

describe('a malicious member', () => {
  it("cannot overwrite (edit) another author's message", async () => {
    const { alice, bob, mallory } = await threeMembers(11)
    const id = alice.post('pay invoice 7 to ACME')
    await settle(alice, bob, mallory)
    const before = [snapshot(alice), snapshot(bob)]
    mallory.doc.getMap('messages').set(id, { text: 'pay invoice 7 to MALLORY', sentAt: 1, hlc: 1 })
    await settle(alice, bob, mallory)
    expect([snapshot(alice), snapshot(bob)]).toEqual(before)
    // Mallory's struct names Alice's as its left neighbour (the same key) and deletes it.
    for (const e of [alice, bob]) expect(e.stats.rejectedByReason['foreign-entry']).toBe(1)
  })

  it("cannot delete another author's message, nor slip a struct into its entry", async () => {
    const { alice, bob, mallory } = await threeMembers(12)
    const id = alice.post('keep me')
    await settle(alice, bob, mallory)
    mallory.doc.getMap('messages').delete(id)
    await settle(alice, bob, mallory)
    expect(alice.messages().map((m) => m.text)).toEqual(['keep me'])
    expect(bob.messages().map((m) => m.text)).toEqual(['keep me'])
    // A struct placed right after Alice's (same key, no deletion) would win the key on integration.
    const forged = new Y.Doc()
    forged.clientID = mallory.doc.clientID + 7
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(alice.doc))
    let update: Uint8Array | undefined
    forged.on('update', (u: Uint8Array) => (update = u))
    forged.getMap('messages').set(id, { text: 'mine now', sentAt: 1, hlc: 1 })
    Y.applyUpdate(mallory.doc, update!)
    await settle(alice, bob, mallory)
    expect(bob.messages().map((m) => m.text)).toEqual(['keep me'])
    expect(bob.stats.rejectedByReason['foreign-delete']).toBe(1)
    expect(bob.stats.rejectedByReason['foreign-entry']).toBe(1)
  })

  it('cannot write under client ids outside its certificate', async () => {
    const world = await OrgWorld.create(13)
    const a = await world.addDevice('alice')
    await world.addDevice('mallory')
    const alice = await world.open('alice')
    const mallory = await world.open('mallory', undefined, { clientId: a.clientId + 1 })
    connect(alice, mallory)
    mallory.post('as if from alice')
    await settle(alice, mallory)
    expect(alice.messages()).toEqual([])
    expect(alice.stats.rejectedByReason['foreign-client']).toBe(1)
  })

  it('cannot write into a broadcast channel; the publisher can, an admin may moderate', async () => {
    const { alice, bob, mallory } = await threeMembers(14, { broadcast: true })
    alice.post('announcement')
    mallory.post('spam')
    await settle(alice, bob, mallory)
    expect(bob.messages().map((m) => m.text)).toEqual(['announcement'])
    expect(bob.stats.rejectedByReason['not-publisher']).toBe(1)
    expect(alice.stats.rejectedByReason['not-publisher']).toBe(1)
  })

  it('cannot replay an old envelope or forge another author', async () => {
    const world = await OrgWorld.create(15)
    await world.addDevice('alice')
    await world.addDevice('bob')
    await world.addDevice('mallory')
    const alice = await world.open('alice')
    const bob = await world.open('bob')
    const mallory = await world.open('mallory')
    const ab = connect(alice, bob)
    const mb = connect(mallory, bob)
    alice.post('genuine')
    mallory.post('from mallory')
    await settle(alice, bob, mallory)
    const before = snapshot(bob)
    const [fromAlice] = envelopesSentBy(ab)
    const [fromMallory] = envelopesSentBy(mb)
    // Replay: the same bytes again, from anyone, change nothing.
    bob.receive(sink, encodeFrame({ type: FRAME_ENVELOPES, envelopes: [fromAlice, fromMallory] }))
    // Forgery: Mallory signs an envelope naming Alice as its author.
    const d = decodeEnvelope(fromMallory)
    const alicesId = decodeEnvelope(fromAlice).envelope.author
    const header = { ...d.envelope, author: alicesId, seq: 2, prev: decodeEnvelope(fromAlice).hash }
    const signed = encodeSignedPart(header, d.envelope.body)
    const keys = world.devices.get('mallory')!.keys.identity.signing
    const signature = await signLabelled(world.provider, keys, ENVELOPE_SIGNATURE_CONTEXT, signed)
    bob.receive(
      sink,
      encodeFrame({ type: FRAME_ENVELOPES, envelopes: [encodeEnvelope(signed, signature)] }),
    )
    // Relabelling a held envelope, tampering with one, re-signing one: conflicting replays.
    const relabelled = fromMallory.slice()
    relabelled.set(alicesId, 19)
    const tampered = fromAlice.slice()
    tampered[tampered.length - 70] ^= 1
    const resigned = encodeEnvelope(d.signedBytes, new Uint8Array(64).fill(1))
    bob.receive(
      sink,
      encodeFrame({ type: FRAME_ENVELOPES, envelopes: [relabelled, tampered, resigned] }),
    )
    await settle(bob)
    expect(snapshot(bob)).toEqual(before)
    expect(bob.stats.duplicates).toBeGreaterThanOrEqual(2)
    expect(bob.stats.rejectedByReason['bad-signature']).toBe(1)
    expect(bob.stats.rejectedByReason['conflicting-replay']).toBe(3)
  })
})
