// A lost offer does not strand a pair of peers: real RTCPeerConnections (node-datachannel) in one
// process, introduced by an in-memory signaling bus that loses the first SDP it carries (as a
// rate limit, a dropped socket or a worker restart would). The attempt times out, the peers
// announce again and connect.
import * as wrtc from 'node-datachannel/polyfill'
import { afterEach, describe, expect, it } from 'vitest'
import type { LinkEvents, PeerLink } from '../../../client/transport/peer-link.ts'
import type {
  SignalingMessage,
  TopicSignaling,
} from '../../../client/transport/signaling-client.ts'
import { WebrtcMesh } from '../../../client/transport/webrtc-mesh.ts'

Object.assign(globalThis, { RTCPeerConnection: wrtc.RTCPeerConnection })
const TOPIC = 'd1'.repeat(32)
const meshes: WebrtcMesh[] = []
afterEach(() => {
  for (const m of meshes.splice(0)) m.close()
})

/** Delivers every publish to the other meshes on a later task; loses the first `signal`. */
class LossyBus {
  readonly members: { peerId: string; mesh?: WebrtcMesh }[] = []
  lost = 0
  port(peerId: string): TopicSignaling & { member: { peerId: string; mesh?: WebrtcMesh } } {
    const member: { peerId: string; mesh?: WebrtcMesh } = { peerId }
    this.members.push(member)
    return {
      member,
      subscribe: () => {},
      publish: (topic, data) => {
        if (data.type === 'signal' && this.lost === 0) {
          this.lost++
          return
        }
        const message: SignalingMessage = { type: 'publish', topic, data }
        for (const m of this.members) {
          if (m !== member) setTimeout(() => m.mesh?.handle(message), 0)
        }
      },
    }
  }
}

function peer(bus: LossyBus, peerId: string, connectTimeoutMs?: number) {
  const up: PeerLink[] = []
  const events: LinkEvents = {
    up: (l) => up.push(l),
    down: (l) => up.splice(up.indexOf(l), 1),
    frame: () => {},
  }
  const port = bus.port(peerId)
  const mesh = new WebrtcMesh({ signaling: port, topic: TOPIC, peerId, events, connectTimeoutMs })
  port.member.mesh = mesh
  meshes.push(mesh)
  return { mesh, up }
}

async function until(predicate: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) return false
    await new Promise((r) => setTimeout(r, 50))
  }
  return true
}

describe('WebRTC mesh, a lost offer', () => {
  it('the stalled attempt times out and the peers connect on the next announce', async () => {
    const bus = new LossyBus()
    // Ana is alone when she announces; Ben's announce makes her offer, and that offer is lost.
    const ana = peer(bus, 'a'.repeat(32), 1_500)
    ana.mesh.start()
    const ben = peer(bus, 'b'.repeat(32), 1_500)
    ben.mesh.start()
    expect(await until(() => ana.up.length === 1 && ben.up.length === 1, 20_000)).toBe(true)
    expect(bus.lost).toBe(1)
  }, 30_000)

  it('without a timeout the pair stays stranded (what the timeout is for)', async () => {
    const bus = new LossyBus()
    // Ana is alone when she announces; Ben's announce makes her offer, and that offer is lost.
    const ana = peer(bus, 'a'.repeat(32), 60_000)
    ana.mesh.start()
    const ben = peer(bus, 'b'.repeat(32), 60_000)
    ben.mesh.start()
    expect(await until(() => ana.up.length === 1 && ben.up.length === 1, 3_000)).toBe(false)
    expect(bus.lost).toBe(1)
  }, 30_000)
})
