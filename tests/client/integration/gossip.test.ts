// Stories for large channels over gossipsub: envelopes travel device -> always-on relay -> device,
// and every hop's topic validator drops what fails the signature, certificate or revocation check.
import { afterEach, describe, expect, it } from 'vitest'
import { encodeFrame, FRAME_ENVELOPES } from '../../../client/sync/frames.ts'
import { joinGossipChannel } from '../../../client/transport/libp2p/index.ts'
import { startHeadlessProcess } from './support/headless-process.ts'
import { EnvelopeHolder } from './support/envelope-holder.ts'
import { libp2pDevice } from './support/libp2p-device.ts'
import { authorChain, CHANNEL_ID } from './support/signed-envelope.ts'
import { TestOrg } from './support/test-org.ts'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

describe('gossipsub channels', () => {
  it(
    'the relay forwards what members signed; drops forged, revoked and misplaced envelopes',
    async () => {
      const org = new TestOrg(31)
      const relayDevice = org.issue('always-on', ['relay'])
      const aliceDevice = org.issue('alice')
      const bobDevice = org.issue('bob')
      const malloryDevice = org.issue('mallory')
      org.createChannel(CHANNEL_ID)
      const mallorys = await authorChain(malloryDevice)('written before her revocation')
      org.revoke(malloryDevice)
      const headless = await startHeadlessProcess(org, relayDevice)
      cleanup.push(() => headless.stop())
      const check = { orgState: () => org.state(), now: () => Date.now() }

      // Both devices reach the relay; their HAVE (on the Conch link) makes it join the topic.
      const devices = await Promise.all([aliceDevice, bobDevice].map(async (d) => {
        const direct = new EnvelopeHolder(d.deviceId)
        const gossip = new EnvelopeHolder(d.deviceId)
        const node = await libp2pDevice(org, d, direct.events)
        cleanup.push(() => node.stop())
        await node.links.dial(headless.address)
        await direct.until(() => direct.links.size === 1)
        const channel = joinGossipChannel(node.node, CHANNEL_ID, gossip.events, check)
        return { gossip, channel }
      }))
      const [alice, bob] = devices
      const next = authorChain(aliceDevice)
      const publish = (envelopes: Uint8Array[]) =>
        alice.channel.link.send(encodeFrame({ type: FRAME_ENVELOPES, envelopes }))

      // Until the mesh has formed, publish fresh messages; stop when Bob has received one.
      let sent = 0
      while (bob.gossip.count() === 0) {
        publish([await next(`hello ${++sent}`)])
        await Promise.race([bob.gossip.until(() => bob.gossip.count() > 0), pause(500)])
      }

      // A malicious member publishes a forged envelope, a revoked device's one, and one of hers
      // from another channel (republished here it would reach peers that do not read that one).
      const forged = await next('forged', (signed) => signed[signed.length - 1] ^= 1)
      const elsewhere = await authorChain(aliceDevice, new Uint8Array(16).fill(0x77))('elsewhere')
      const before = bob.gossip.count()
      publish([forged, mallorys, elsewhere])
      publish([await next('after the bad ones')])
      await expect.poll(async () => (await headless.metrics()).gossip.rejected, {
        timeout: 20_000,
      }).toEqual({ 'bad-signature': 1, 'revoked-author': 1, 'wrong-topic': 1 })
      await bob.gossip.until(() => bob.gossip.count() > before)
      const texts = await bob.gossip.texts()
      expect(texts).toContain('after the bad ones')
      expect(texts).not.toContain('forged')
      expect(texts).not.toContain('written before her revocation')
      expect(texts).not.toContain('elsewhere')
      expect(bob.channel.stats.rejected).toEqual({})
    },
    60_000,
  )
})

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
