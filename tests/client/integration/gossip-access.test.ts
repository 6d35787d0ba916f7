// Stories for who the always-on peer (client/headless/main.ts, its own process) serves a channel
// to: gossip and the mailbox reach only authenticated devices that read the channel. An outsider's
// libp2p node, a certified device outside a private channel, a member removed from it and a
// revoked device all stay empty-handed while the members keep receiving.
import { afterEach, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { encodeFrame, FRAME_ENVELOPES, FRAME_HAVE } from '../../../client/sync/frames.ts'
import {
  createConchNode,
  gossipTopic,
  joinGossipChannel,
} from '../../../client/transport/libp2p/index.ts'
import { type HeadlessProcess, startHeadlessProcess } from './support/headless-process.ts'
import { EnvelopeHolder } from './support/envelope-holder.ts'
import { libp2pDevice } from './support/libp2p-device.ts'
import { authorChain, CHANNEL_ID } from './support/signed-envelope.ts'
import { type TestDevice, TestOrg } from './support/test-org.ts'

const PRIVATE_ID = new Uint8Array(16).fill(0x51)
const DM_ID = new Uint8Array(16).fill(0xd3)

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

/** Resolves when `predicate` holds, checking every 50 ms (the test's own timeout bounds it). */
async function until(predicate: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await predicate())) await new Promise((r) => setTimeout(r, 50))
}

/**
 * A device as the PWA runs one against the always-on peer: an authenticated Conch link (its HAVE
 * names the channel) and the channel's gossip topic. `direct` holds what came over the link,
 * `gossip` what came over the topic.
 */
async function connect(
  org: TestOrg,
  headless: HeadlessProcess,
  d: TestDevice,
  channelId: Uint8Array,
) {
  const direct = new EnvelopeHolder(d.deviceId, channelId)
  const gossip = new EnvelopeHolder(d.deviceId, channelId)
  const node = await libp2pDevice(org, d, direct.events)
  cleanup.push(() => node.stop())
  await node.links.dial(headless.address)
  await direct.until(() => direct.links.size === 1)
  const check = { orgState: () => org.state(), now: () => Date.now() }
  const channel = joinGossipChannel(node.node, channelId, gossip.events, check)
  return { direct, gossip, channel, node }
}

type Connected = Awaited<ReturnType<typeof connect>>

/**
 * The author publishes fresh envelopes on the topic until `done()` (the mesh takes a moment);
 * fails if 60 were not enough.
 */
async function publishUntil(
  author: Connected,
  next: (text: string) => Promise<Uint8Array>,
  label: string,
  done: () => boolean,
): Promise<string[]> {
  const sent: string[] = []
  while (!done()) {
    if (sent.length >= 60) throw new Error(`${label}: not delivered after 60 envelopes`)
    const text = `${label} ${sent.length + 1}`
    sent.push(text)
    const envelopes = [await next(text)]
    author.channel.link.send(encodeFrame({ type: FRAME_ENVELOPES, envelopes }))
    await new Promise((r) => setTimeout(r, 300))
  }
  return sent
}

describe('the always-on peer serves a channel only to devices that read it', () => {
  it('an outsider libp2p node subscribed to the topic receives nothing; members do', async () => {
    const org = new TestOrg(41)
    org.createChannel(CHANNEL_ID)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const bobDevice = org.issue('bob')
    const ginaDevice = org.issue('gina')
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())
    const topic = gossipTopic(CHANNEL_ID)
    const dmTopic = gossipTopic(DM_ID)

    // Eve runs libp2p, reaches the listener and subscribes, but holds no org certificate.
    const eve = await createConchNode({ role: 'device', listen: [] })
    cleanup.push(async () => await eve.stop())
    let eveGot = 0
    eve.services.pubsub.addEventListener('message', () => eveGot++)
    eve.services.pubsub.subscribe(topic)
    await eve.dial(multiaddr(headless.address))

    // Gina names a DM (a channel the org log does not list), then the org channel, on one link.
    const gina = await connect(org, headless, ginaDevice, DM_ID)
    for (const l of gina.direct.links) {
      l.send(encodeFrame({ type: FRAME_HAVE, channelId: CHANNEL_ID, have: [] }))
    }
    const alice = await connect(org, headless, aliceDevice, CHANNEL_ID)
    const bob = await connect(org, headless, bobDevice, CHANNEL_ID)
    // Eve's subscription reached the relay's gate; the relay joined the org channel's topic only:
    // it cannot tell who reads a DM.
    await until(async () => (await headless.metrics()).gossipGate.withheld >= 1)
    await until(async () => (await headless.metrics()).gossipGate.topics >= 1)

    const sent = await publishUntil(
      alice,
      authorChain(aliceDevice),
      'hello',
      () => bob.gossip.count() >= 5,
    )
    expect(await bob.gossip.texts()).toEqual(expect.arrayContaining(sent.slice(-5)))
    expect(eveGot).toBe(0)
    // Members hear which topic the relay relays; Eve does not even learn that.
    const relays = (node: typeof eve, t: string) =>
      node.services.pubsub.getSubscribers(t).some((p) => p.toString() === headless.peerId)
    expect(relays(bob.node.node, topic)).toBe(true)
    expect(relays(eve, topic)).toBe(false)
    expect(relays(bob.node.node, dmTopic)).toBe(false)
    const gate = (await headless.metrics()).gossipGate
    // Eve's subscription (and whatever else she sent) reached the gate and went no further.
    expect(gate.droppedRpcs).toBeGreaterThan(0)
    expect(gate.withheld).toBeGreaterThan(0)
    expect(gate.admitted).toBe(0)
    expect(gate.topics).toBe(1)
  }, 60_000)

  it('a device gossiping before its link is authenticated is let in once it is', async () => {
    const org = new TestOrg(44)
    org.createChannel(CHANNEL_ID)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const frankDevice = org.issue('frank')
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())
    const topic = gossipTopic(CHANNEL_ID)
    const alice = await connect(org, headless, aliceDevice, CHANNEL_ID)
    const next = authorChain(aliceDevice)

    // Frank's node subscribes and reaches the relay, but has not proved his certificate yet.
    const direct = new EnvelopeHolder(frankDevice.deviceId)
    const gossip = new EnvelopeHolder(frankDevice.deviceId)
    const frank = await libp2pDevice(org, frankDevice, direct.events)
    cleanup.push(() => frank.stop())
    const check = { orgState: () => org.state(), now: () => Date.now() }
    joinGossipChannel(frank.node, CHANNEL_ID, gossip.events, check)
    await frank.node.dial(multiaddr(headless.address))
    const relays = () =>
      frank.node.services.pubsub.getSubscribers(topic).some((p) => p.toString() === headless.peerId)
    await expect.poll(async () => (await headless.metrics()).gossipGate.withheld).toBe(1)
    // Alice's message reaches the relay (it holds it) but not Frank.
    const early = [await next('early')]
    alice.channel.link.send(encodeFrame({ type: FRAME_ENVELOPES, envelopes: early }))
    await until(async () => (await headless.metrics()).mailbox.envelopesHeld >= 1)
    expect(gossip.count()).toBe(0)
    expect(relays()).toBe(false)

    // His Conch link authenticates: the subscription he sent earlier now counts, and he hears
    // which topic the relay relays.
    await frank.links.dial(headless.address)
    await direct.until(() => direct.links.size === 1)
    await until(relays)
    const sent = await publishUntil(alice, next, 'welcome', () => gossip.count() >= 2)
    expect(await gossip.texts()).toEqual(expect.arrayContaining(sent.slice(-2)))
    expect((await headless.metrics()).gossipGate.admitted).toBe(1)
  }, 60_000)

  it('a device outside a private channel gets none of it; one taken off it stops', async () => {
    const org = new TestOrg(42)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const bobDevice = org.issue('bob')
    const daveDevice = org.issue('dave')
    const carolDevice = org.issue('carol')
    org.createPrivateChannel(PRIVATE_ID, ['alice', 'bob', 'dave'], 'vault')
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())

    // Carol is a certified member of the org, but not of the vault channel. She connects first,
    // names the channel in her HAVE and subscribes to its topic like the others.
    const carol = await connect(org, headless, carolDevice, PRIVATE_ID)
    const alice = await connect(org, headless, aliceDevice, PRIVATE_ID)
    const bob = await connect(org, headless, bobDevice, PRIVATE_ID)
    const dave = await connect(org, headless, daveDevice, PRIVATE_ID)
    const next = authorChain(aliceDevice, PRIVATE_ID)

    // Alice posts over gossip and into the mailbox (her Conch link).
    const sent = await publishUntil(
      alice,
      next,
      'vault',
      () => bob.gossip.count() >= 3 && dave.gossip.count() >= 3,
    )
    const mailed = await next('for the mailbox')
    alice.direct.post(mailed)
    await bob.direct.until(() => bob.direct.count() >= 1)
    expect(await bob.gossip.texts()).toEqual(expect.arrayContaining(sent.slice(-3)))
    expect(await bob.direct.texts()).toContain('for the mailbox')

    // Carol asks the mailbox again, now that it holds the channel's envelopes.
    for (const l of carol.direct.links) {
      l.send(encodeFrame({ type: FRAME_HAVE, channelId: PRIVATE_ID, have: [] }))
    }
    // Until the mailbox refused it (or, were it open, answered it).
    await until(async () =>
      carol.direct.count() > 0 || (await headless.metrics()).links.refused >= 2
    )
    expect(carol.direct.count()).toBe(0)
    expect(carol.gossip.count()).toBe(0)
    expect(carol.direct.haves).toEqual([])

    // An admin takes Bob off the vault channel while he is connected: the relay hangs up on him.
    const before = bob.gossip.count() + bob.direct.count()
    org.changeMembers(PRIVATE_ID, [], ['bob'])
    headless.publishLog()
    await expect.poll(async () => (await headless.metrics()).gossipGate.evicted, {
      timeout: 20_000,
    })
      .toBeGreaterThanOrEqual(1)
    await expect.poll(() => bob.direct.links.size, { timeout: 20_000 }).toBe(0)
    const daveBefore = dave.gossip.count()
    const after = await publishUntil(
      alice,
      next,
      'after bob left',
      () => dave.gossip.count() >= daveBefore + 3,
    )
    expect(await dave.gossip.texts()).toEqual(expect.arrayContaining(after.slice(-3)))
    expect(bob.gossip.count() + bob.direct.count()).toBe(before)
    expect(carol.gossip.count()).toBe(0)
  }, 90_000)

  it('a device revoked while connected stops receiving, and redialing brings nothing', async () => {
    const org = new TestOrg(43)
    org.createChannel(CHANNEL_ID)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const bobDevice = org.issue('bob')
    const daveDevice = org.issue('dave')
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())
    const alice = await connect(org, headless, aliceDevice, CHANNEL_ID)
    const bob = await connect(org, headless, bobDevice, CHANNEL_ID)
    const dave = await connect(org, headless, daveDevice, CHANNEL_ID)
    const next = authorChain(aliceDevice)
    await publishUntil(
      alice,
      next,
      'before',
      () => bob.gossip.count() >= 2 && dave.gossip.count() >= 2,
    )

    // Bob's phone is lost: the admin revokes it; the relay drops his link and every topic.
    const before = bob.gossip.count()
    org.revoke(bobDevice)
    headless.publishLog()
    await until(async () => (await headless.metrics()).linkAuth.dropped >= 1)
    expect((await headless.metrics()).gossipGate.evicted).toBeGreaterThanOrEqual(1)
    // The thief redials: a fresh connection, the topic subscription sent again.
    await expect.poll(() => bob.node.node.getConnections().length, { timeout: 20_000 }).toBe(0)
    const dropped = (await headless.metrics()).gossipGate.droppedRpcs
    await bob.node.node.dial(multiaddr(headless.address))
    await until(async () => (await headless.metrics()).gossipGate.droppedRpcs > dropped)
    const daveBefore = dave.gossip.count()
    const after = await publishUntil(
      alice,
      next,
      'after the revocation',
      () => dave.gossip.count() >= daveBefore + 3,
    )
    expect(await dave.gossip.texts()).toEqual(expect.arrayContaining(after.slice(-3)))
    expect(bob.gossip.count()).toBe(before)
    expect(bob.direct.count()).toBe(0)
  }, 90_000)
})
