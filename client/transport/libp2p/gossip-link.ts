// A channel over gossipsub, for channels too large for a mesh of direct links: the topic looks
// to the engine like one more PeerLink. Every envelope is checked by a topic validator at every
// hop (author issued and not revoked, certificate current, device signature) before it is
// delivered or forwarded; the gossip "link" itself is never trusted (transport.md §4).

import { toHex, utf8 } from '../../../crypto/codec/bytes.ts'
import { concatBytes } from '../../../crypto/codec/bytes.ts'
import { isConchError } from '../../../crypto/errors/conch-error.ts'
import { sha256 } from '../../../crypto/primitives/kdf.ts'
import { decodeFrame, encodeFrame, FRAME_ENVELOPES } from '../../sync/frames.ts'
import { checkEnvelopeForRelay, type RelayCheckOptions } from '../envelope-admission.ts'
import type { LinkEvents, PeerLink } from '../peer-link.ts'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { ConchNode } from './conch-node.ts'

export const GOSSIP_LINK_KIND = 'libp2p-gossipsub'

/** Gossip topic of a channel: opaque, like the signaling topic, and distinct from it. */
export function gossipTopic(channelId: Uint8Array): string {
  return 'conch/1/' + toHex(sha256(concatBytes(utf8('conch/v1/gossip/'), channelId)))
}

export interface GossipStats {
  published: number
  delivered: number
  accepted: number
  rejected: Record<string, number>
  ignored: number
}

export interface GossipChannel {
  readonly link: PeerLink
  readonly topic: string
  readonly stats: GossipStats
  leave(): void
}

/** Installs the validator for `topic` on `node` (relays call this too: they validate and forward). */
export function validateGossipTopic(
  node: ConchNode,
  topic: string,
  check: RelayCheckOptions,
  stats: GossipStats,
): void {
  node.services.pubsub.topicValidators.set(topic, async (_peer, msg) => {
    const v = await checkEnvelopeForRelay(check, msg.data)
    // An envelope travels only on its own channel's topic: republished on another topic it
    // would reach peers that do not read its channel.
    if (v.verdict === 'accept' && gossipTopic(v.envelope.envelope.channelId) !== topic) {
      stats.rejected['wrong-topic'] = (stats.rejected['wrong-topic'] ?? 0) + 1
      return TopicValidatorResult.Reject
    }
    if (v.verdict === 'accept') {
      stats.accepted++
      return TopicValidatorResult.Accept
    }
    if (v.verdict === 'ignore') {
      stats.ignored++
      return TopicValidatorResult.Ignore
    }
    stats.rejected[v.reason] = (stats.rejected[v.reason] ?? 0) + 1
    return TopicValidatorResult.Reject
  })
}

export function newGossipStats(): GossipStats {
  return { published: 0, delivered: 0, accepted: 0, rejected: {}, ignored: 0 }
}

/**
 * Joins the channel's topic and raises a link on `events` whose frames are the topic's
 * envelopes; ENVELOPES frames sent on the link are published (other frame types have no
 * meaning on a broadcast topic and are dropped: reconciliation runs over direct links).
 */
export function joinGossipChannel(
  node: ConchNode,
  channelId: Uint8Array,
  events: LinkEvents,
  check: RelayCheckOptions,
): GossipChannel {
  const topic = gossipTopic(channelId)
  const pubsub = node.services.pubsub
  const stats = newGossipStats()
  validateGossipTopic(node, topic, check, stats)
  let joined = true
  const link: PeerLink = {
    id: `gossip/${topic}`,
    kind: GOSSIP_LINK_KIND,
    send(frame) {
      if (!joined) return
      let decoded
      try {
        decoded = decodeFrame(frame)
      } catch (e) {
        if (isConchError(e)) return
        throw e
      }
      if (decoded.type !== FRAME_ENVELOPES) return
      for (const envelope of decoded.envelopes) {
        stats.published++
        // Duplicate publishes (same content id) are refused by gossipsub: that is fine.
        pubsub.publish(topic, envelope).catch(() => {})
      }
    },
  }
  const onMessage = (event: CustomEvent<{ topic: string; data: Uint8Array }>) => {
    if (!joined || event.detail.topic !== topic) return
    stats.delivered++
    events.frame(link, encodeFrame({ type: FRAME_ENVELOPES, envelopes: [event.detail.data] }))
  }
  pubsub.addEventListener('message', onMessage)
  pubsub.subscribe(topic)
  events.up(link)
  return {
    link,
    topic,
    stats,
    leave() {
      if (!joined) return
      joined = false
      pubsub.removeEventListener('message', onMessage)
      pubsub.unsubscribe(topic)
      pubsub.topicValidators.delete(topic)
      events.down(link)
    },
  }
}
