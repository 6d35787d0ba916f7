// Two devices that cannot dial each other directly meet through the always-on peer's circuit
// relay v2, upgrade to a direct libp2p WebRTC connection (signaled over the relayed one), and
// carry their channel over it, authenticated by certificates and Noise-bound peer ids.
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { createConchNode, Libp2pLinks } from '../../../client/transport/libp2p/index.ts'
import { formatOrgAnchor } from '../../../crypto/membership/org-anchor.ts'
import { startHeadlessProcess } from './support/headless-process.ts'
import { deviceConfig, openOrgDevice } from './support/org-device.ts'
import { CHANNEL_ID } from './support/signed-envelope.ts'
import { TestOrg } from './support/test-org.ts'

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 50))
}

describe('libp2p WebRTC through circuit relay v2', () => {
  it('Alice reaches Bob over a direct WebRTC connection the relay helped set up', async () => {
    const org = new TestOrg(61)
    org.createChannel(CHANNEL_ID)
    const relay = org.issue('always-on', ['relay'])
    const devices = [org.issue('alice'), org.issue('bob')]
    const headless = await startHeadlessProcess(org, relay)
    cleanup.push(() => headless.stop())
    const shared = { anchor: formatOrgAnchor(org.anchor), bundle: org.bundle() }

    const [alice, bob] = await Promise.all(devices.map(async (d) => {
      const device = await openOrgDevice(deviceConfig(shared, CHANNEL_ID, d.secrets))
      // Devices listen only through relays (/p2p-circuit) and for WebRTC (/webrtc).
      const node = await createConchNode({ role: 'device' })
      const links = new Libp2pLinks(node, device.auth.events)
      await links.start()
      cleanup.push(async () => {
        await links.stop()
        await node.stop()
      })
      // The relay lends a slot only to a device holding an authenticated Conch link.
      await links.dial(headless.address)
      return { device, node, links }
    }))

    // Bob's relay reservation gives him a WebRTC address behind the relay.
    const webrtcAddress = () =>
      bob.node.getMultiaddrs().find((m) => m.toString().includes('/p2p-circuit/webrtc/'))
    await until(() => webrtcAddress() !== undefined)
    const link = await alice.links.dial(webrtcAddress()!)
    expect(link.relayed).toBe(false)
    const users = () => alice.device.auth.links().map((l) => l.identity.userId).sort()
    await until(() => users().length === 2)
    expect(users()).toEqual(['always-on', 'bob'])
    const relayStats = await headless.metrics()
    expect(relayStats.relay.reservationsDenied).toBe(0)

    // The always-on peer goes away; the direct WebRTC link alone carries the message.
    await headless.stop()
    await until(() => alice.device.auth.links().length === 1)
    alice.device.engine.post('straight to you')
    await until(() => bob.device.texts().length === 1)
    expect(bob.device.texts()).toEqual(['straight to you'])
  }, 60_000)

  it('an outsider without an org certificate gets no relay slot', async () => {
    const org = new TestOrg(62)
    const headless = await startHeadlessProcess(org, org.issue('always-on', ['relay']))
    cleanup.push(() => headless.stop())
    const outsider = await createConchNode({ role: 'device' })
    cleanup.push(() => outsider.stop())
    await outsider.dial(multiaddr(headless.address))
    await expect.poll(async () => (await headless.metrics()).relay.reservationsDenied, {
      timeout: 30_000,
    }).toBeGreaterThanOrEqual(1)
    expect((await headless.metrics()).relay.reservationsGranted).toBe(0)
    expect(outsider.getMultiaddrs().some((m) => m.toString().includes('/p2p-circuit'))).toBe(false)
  }, 60_000)
})
