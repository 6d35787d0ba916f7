// The always-on peer's gossip policy (transport.md §3.1): a libp2p peer exchanges gossip only
// while it holds an authenticated Conch link as an active device, and joins a topic only if one
// of the devices it proved reads the topic's channel. Topics the relay has not mapped to a channel
// are refused (the subscription waits until the relay joins that topic).

import type { OrgState } from '../../crypto/membership/org-state.ts'
import type { GossipAccess } from '../transport/libp2p/gossip-gate.ts'
import type { AuthenticatedPeers } from './authenticated-peers.ts'
import { isActive, readsChannel } from './channel-readers.ts'

export interface GossipAccessOptions {
  peers: AuthenticatedPeers
  /** Hex channel id of a gossip topic the relay joined, else undefined. */
  channelOf(topic: string): string | undefined
  orgState(): OrgState
  now(): number
}

export function gossipAccess(o: GossipAccessOptions): GossipAccess {
  return {
    mayExchange(peer) {
      const state = o.orgState()
      const now = o.now()
      return o.peers.devices(peer).some((d) => isActive(state, d, now))
    },
    mayJoin(peer, topic) {
      const channel = o.channelOf(topic)
      if (channel === undefined) return false
      const state = o.orgState()
      const now = o.now()
      return o.peers.devices(peer).some((d) => readsChannel(state, d, channel, now))
    },
  }
}
