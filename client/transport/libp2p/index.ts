// The libp2p transport's public surface. Load it lazily, `await import('./libp2p/index.ts')`,
// so that browsers which never switch libp2p on never download it.

export { type ConchNode, type ConchNodeOptions, createConchNode } from './conch-node.ts'
export { Libp2pLinks } from './libp2p-links.ts'
export {
  gateGossip,
  type GossipAccess,
  type GossipGate,
  type GossipGateStats,
} from './gossip-gate.ts'
export { attachStream, CONCH_PROTOCOL, LIBP2P_LINK_KIND, type StreamLink } from './stream-link.ts'
export {
  GOSSIP_LINK_KIND,
  type GossipChannel,
  gossipTopic,
  joinGossipChannel,
  validateGossipTopic,
} from './gossip-link.ts'
