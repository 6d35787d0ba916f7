// Across processes over WebRTC: the real Deno signaling worker (admission on), Alice in this
// process and Bob in his own, both on node-datachannel; the data channel is authenticated by
// certificates and DTLS fingerprints inside it before either engine sees it.
import * as wrtc from 'node-datachannel/polyfill'
import { afterEach, describe, expect, it } from 'vitest'
import { formatOrgAnchor } from '../../../crypto/membership/org-anchor.ts'
import { joinMesh } from './support/mesh-device.ts'
import { deviceConfig, openOrgDevice } from './support/org-device.ts'
import { spawnPeer } from './support/peer-process.ts'
import { CHANNEL_ID } from './support/signed-envelope.ts'
import { startSignalingProcess } from './support/signaling-process.ts'
import { TestOrg } from './support/test-org.ts'

Object.assign(globalThis, { RTCPeerConnection: wrtc.RTCPeerConnection })
const TOPIC = 'c0'.repeat(32)
const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 50))
}

describe('WebRTC mesh across processes', () => {
  it('Alice and Bob, in two processes, find each other through signaling and talk', async () => {
    const org = new TestOrg(41)
    org.createChannel(CHANNEL_ID)
    const a = org.issue('alice')
    const b = org.issue('bob')
    const signaling = await startSignalingProcess(org)
    cleanup.push(() => signaling.stop())
    const shared = { anchor: formatOrgAnchor(org.anchor), bundle: org.bundle() }

    const bob = spawnPeer({
      device: deviceConfig(shared, CHANNEL_ID, b.secrets),
      mesh: { wsUrl: signaling.wsUrl, topic: TOPIC },
    })
    cleanup.push(() => bob.stop())
    const aliceConfig = deviceConfig(shared, CHANNEL_ID, a.secrets)
    const alice = await openOrgDevice(aliceConfig)
    const mesh = joinMesh(alice, aliceConfig, signaling.wsUrl, TOPIC)
    cleanup.push(() => mesh.close())

    await until(() => alice.auth.links().length === 1)
    const [link] = alice.auth.links()
    expect(link.identity.userId).toBe('bob')
    expect(link.kind).toBe('webrtc-datachannel')
    expect(link.binding?.local.length).toBe(32)

    alice.engine.post('morning, Bob')
    await bob.until((s) => s.texts.includes('morning, Bob'))
    bob.post('morning, Alice')
    await until(() => alice.texts().includes('morning, Alice'))
    expect(alice.texts()).toEqual(['morning, Bob', 'morning, Alice'])
    expect(bob.state.links).toEqual([{ kind: 'webrtc-datachannel', user: 'alice' }])
    expect(alice.engine.stats.envelopesRejected + bob.state.rejected).toBe(0)
  }, 60_000)
})
