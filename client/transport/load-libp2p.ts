// The app's one door to libp2p: a dynamic import, so the PWA's first bundle carries none of it
// and browsers that never switch libp2p on never download it (transport.md §3).

import type { RelayCheckOptions } from './envelope-admission.ts'
import type { LinkEvents, PeerLink } from './peer-link.ts'

export interface AlwaysOnConnection {
  /** How many Conch links (authenticated or not yet) are open right now. */
  linkCount(): number
  /**
   * Large channels: joins the channel's gossipsub topic and raises one more link on `engine`
   * (give it the engine's events directly, not link-auth's: every gossiped envelope is checked
   * by the topic validator instead). `leave()` unsubscribes and takes the link down.
   */
  joinGossip(channelId: Uint8Array, engine: LinkEvents, check: RelayCheckOptions): {
    link: PeerLink
    leave(): void
  }
  stop(): Promise<void>
}

/**
 * Starts a device libp2p node and keeps a Conch link open to each always-on peer address
 * (`/ip4/…/tcp/…/ws/p2p/<peer id>` or `/dns4/…/tcp/443/wss/p2p/<peer id>`), redialing after
 * drops. `events` must be link authentication's raw side (`authenticateLinks(...).events`).
 */
export async function connectAlwaysOnPeers(
  events: LinkEvents,
  addresses: string[],
): Promise<AlwaysOnConnection> {
  const { createConchNode, joinGossipChannel, Libp2pLinks } = await import('./libp2p/index.ts')
  const node = await createConchNode({ role: 'device', listen: [] })
  const links = new Libp2pLinks(node, events)
  await links.start()
  for (const address of addresses) links.keep(address)
  return {
    linkCount: () => links.links.length,
    joinGossip: (channelId, engine, check) => joinGossipChannel(node, channelId, engine, check),
    async stop() {
      await links.stop()
      await node.stop()
    },
  }
}
