// A member device on libp2p, as the PWA or a Node client runs it: its own libp2p node, Conch
// links authenticated with its certificate, and `inner` (engine or test holder) behind them.

import { authenticateLinks } from '../../../../client/transport/link-auth.ts'
import { createConchNode, Libp2pLinks } from '../../../../client/transport/libp2p/index.ts'
import type { LinkEvents } from '../../../../client/transport/peer-link.ts'
import { secureRandom } from '../../../../crypto/primitives/random.ts'
import type { TestDevice, TestOrg } from './test-org.ts'

export async function libp2pDevice(org: TestOrg, device: TestDevice, inner: LinkEvents) {
  const auth = authenticateLinks(inner, {
    anchor: org.anchor,
    orgState: () => org.state(),
    credential: device.credential,
    signingSecretKey: device.signing.secretKey,
    now: () => Date.now(),
    random: secureRandom,
  })
  return { ...await libp2pNode(auth.events), auth }
}

/** A device's libp2p node whose Conch links go to `raw` (already wrapped in link-auth). */
export async function libp2pNode(raw: LinkEvents) {
  // No relay reservations or WebRTC listeners: these devices only dial the always-on peer.
  const node = await createConchNode({ role: 'device', listen: [] })
  const links = new Libp2pLinks(node, raw)
  await links.start()
  return {
    node,
    links,
    async stop() {
      await links.stop()
      await node.stop()
    },
  }
}
