// A libp2p node configured for Conch: WebSockets (to the always-on peer), circuit relay v2,
// WebRTC between browsers (through a relay for signaling), gossipsub for large channels, Noise
// and yamux. Everything libp2p is imported lazily, so the PWA's first bundle stays small and the
// code is fetched only when a libp2p transport is switched on (`await import(...)` in callers).

import type { PrivateKey } from '@libp2p/interface'
import type { GossipSub } from '@libp2p/gossipsub'
import type { Libp2p } from 'libp2p'

export type ConchNodeRole =
  /** The always-on org peer: listens on WebSockets, serves circuit relay v2 and gossipsub. */
  | 'relay'
  /** A member device (browser or Node): dials out, reachable through relays over WebRTC. */
  | 'device'

export interface ConchNodeOptions {
  role: ConchNodeRole
  /** Listen addresses, e.g. ['/ip4/0.0.0.0/tcp/9090/ws'] for a relay. */
  listen?: string[]
  /** A persistent libp2p identity (Ed25519); a fresh one per start when absent. */
  privateKey?: PrivateKey
  /** Relays to keep reservations on (device role), as multiaddrs ending in /p2p/<id>. */
  relays?: string[]
  /** Cap on concurrent connections (the relay's guard against exhaustion). */
  maxConnections?: number
  /** Cap on relay reservations held at once (relay role). */
  maxReservations?: number
}

export interface ConchServices {
  pubsub: GossipSub
  // deno-lint-ignore no-explicit-any
  [name: string]: any
}

export type ConchNode = Libp2p<ConchServices>

/** Gossip message ids are content hashes: envelopes carry their own author signatures. */
async function contentId(msg: { data: Uint8Array }): Promise<Uint8Array> {
  const { sha256 } = await import('../../../crypto/primitives/kdf.ts')
  return sha256(msg.data)
}

export async function createConchNode(opts: ConchNodeOptions): Promise<ConchNode> {
  const [
    { createLibp2p },
    { webSockets },
    { noise },
    { yamux },
    { identify },
    { gossipsub },
    relay,
  ] = await Promise.all([
    import('libp2p'),
    import('@libp2p/websockets'),
    import('@libp2p/noise'),
    import('@libp2p/yamux'),
    import('@libp2p/identify'),
    import('@libp2p/gossipsub'),
    import('@libp2p/circuit-relay-v2'),
  ])
  const isRelay = opts.role === 'relay'
  // deno-lint-ignore no-explicit-any
  const transports: any[] = [webSockets(), relay.circuitRelayTransport()]
  if (!isRelay) {
    const { webRTC } = await import('@libp2p/webrtc')
    transports.push(webRTC())
  }
  // deno-lint-ignore no-explicit-any
  const services: Record<string, any> = {
    identify: identify(),
    pubsub: gossipsub({
      // Envelopes are signed by their authors' device keys; libp2p-level signatures would add
      // nothing but a linkable peer id, so messages go unsigned and are named by content.
      globalSignaturePolicy: 'StrictNoSign',
      msgIdFn: contentId,
      allowPublishToZeroTopicPeers: true,
      emitSelf: false,
    }),
  }
  if (isRelay) {
    services.relay = relay.circuitRelayServer({
      reservations: { maxReservations: opts.maxReservations ?? 1024 },
    })
  }
  const listen = opts.listen ?? (isRelay ? [] : ['/p2p-circuit', '/webrtc'])
  const node = await createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen },
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // Peers are authenticated by their Conch certificates inside each link, not by address; an
    // org's always-on peer is often on a private LAN address, which browsers deny by default.
    connectionGater: { denyDialMultiaddr: () => false },
    connectionManager: { maxConnections: opts.maxConnections ?? (isRelay ? 2048 : 128) },
    services,
  })
  return node as unknown as ConchNode
}
