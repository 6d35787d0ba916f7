// A libp2p node configured for Conch: WebSockets (to the always-on peer), circuit relay v2,
// WebRTC between browsers (through a relay for signaling), gossipsub for large channels, Noise
// and yamux. The app reaches this module only through load-libp2p.ts (a dynamic import), so the
// PWA's first bundle stays small; WebRTC is loaded only for devices (relays never need it).

import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { type GossipSub, gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p } from 'libp2p'
import { sha256 } from '../../../crypto/primitives/kdf.ts'

export type ConchNodeRole =
  /** The always-on org peer: listens on WebSockets, serves circuit relay v2 and gossipsub. */
  | 'relay'
  /** A member device (browser or Node): dials out, reachable through relays over WebRTC. */
  | 'device'

export interface ConchNodeOptions {
  role: ConchNodeRole
  /** Listen addresses, e.g. ['/ip4/0.0.0.0/tcp/9090/ws'] for a relay. */
  listen?: string[]
  /** Addresses to advertise instead of the listen ones (a relay behind a TLS proxy). */
  announce?: string[]
  /** A persistent libp2p identity (Ed25519); a fresh one per start when absent. */
  privateKey?: PrivateKey
  /** Relays to keep reservations on (device role), as multiaddrs ending in /p2p/<id>. */
  relays?: string[]
  /** Cap on concurrent connections (the relay's guard against exhaustion). */
  maxConnections?: number
  /** Cap on relay reservations held at once (relay role). */
  maxReservations?: number
  /** Relay role: whether `peerId` may reserve a relay slot (default: anyone). */
  allowRelayReservation?(peerId: string): boolean | Promise<boolean>
  /** Start listening at once (default); false leaves `node.start()` to the caller. */
  start?: boolean
}

export interface ConchServices {
  pubsub: GossipSub
  // deno-lint-ignore no-explicit-any
  [name: string]: any
}

export type ConchNode = Libp2p<ConchServices>

/** Gossip message ids are content hashes: envelopes carry their own author signatures. */
function contentId(msg: { data: Uint8Array }): Uint8Array {
  return sha256(msg.data)
}

export async function createConchNode(opts: ConchNodeOptions): Promise<ConchNode> {
  const isRelay = opts.role === 'relay'
  // deno-lint-ignore no-explicit-any
  const transports: any[] = [webSockets(), circuitRelayTransport()]
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
    services.relay = circuitRelayServer({
      reservations: { maxReservations: opts.maxReservations ?? 1024 },
    })
  }
  const listen = opts.listen ?? (isRelay ? [] : ['/p2p-circuit', '/webrtc'])
  const node = await createLibp2p({
    start: opts.start ?? true,
    privateKey: opts.privateKey,
    addresses: opts.announce?.length ? { listen, announce: opts.announce } : { listen },
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // Peers are authenticated by their Conch certificates inside each link, not by address; an
    // org's always-on peer is often on a private LAN address, which browsers deny by default.
    connectionGater: {
      denyDialMultiaddr: () => false,
      // Read by the circuit relay v2 server (not yet in the ConnectionGater type).
      denyInboundRelayReservation: async (peer: { toString(): string }) =>
        opts.allowRelayReservation ? !(await opts.allowRelayReservation(peer.toString())) : false,
    } as Record<string, unknown>,
    connectionManager: {
      maxConnections: opts.maxConnections ?? (isRelay ? 2048 : 128),
      // Links here lag: a WebRTC upgrade signalled over a relayed connection on a slow or busy
      // link can outlast libp2p's 10 s / 6 s defaults, and a timed-out dial costs a full retry.
      dialTimeout: 30_000,
      addressDialTimeout: 20_000,
    },
    services,
  })
  return node as unknown as ConchNode
}
