// The always-on org peer: a libp2p node (WebSockets listener, circuit relay v2 server, gossipsub
// relay with envelope validators) whose Conch links are authenticated with its relay credential
// and served by the blind mailbox. It holds no channel key (DESIGN §6). Gossip and the mailbox
// serve a channel only to authenticated devices that read it (transport.md §3.1, §4).

import { fromHex, toHex } from '../../crypto/codec/bytes.ts'
import { decodeCredential } from '../../crypto/membership/credential.ts'
import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { PrivateKey } from '@libp2p/interface'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import { checkEnvelopeForRelay } from '../transport/envelope-admission.ts'
import {
  type AuthenticatedLink,
  authenticateLinks,
  type LinkAuthenticator,
} from '../transport/link-auth.ts'
import { type ConchNode, createConchNode } from '../transport/libp2p/conch-node.ts'
import {
  type GossipStats,
  gossipTopic,
  newGossipStats,
  validateGossipTopic,
} from '../transport/libp2p/gossip-link.ts'
import { gateGossip, type GossipGateStats } from '../transport/libp2p/gossip-gate.ts'
import { Libp2pLinks } from '../transport/libp2p/libp2p-links.ts'
import type { PeerLink } from '../transport/peer-link.ts'
import type { StreamLink } from '../transport/libp2p/stream-link.ts'
import { AuthenticatedPeers } from './authenticated-peers.ts'
import { BlindMailbox, type MailboxLimits } from './blind-mailbox.ts'
import { readsChannel } from './channel-readers.ts'
import { gossipAccess } from './gossip-access.ts'
import { MailboxPeer } from './mailbox-peer.ts'

/** How long a reservation request waits for its device's link handshake to finish. */
const RESERVATION_WAIT_MS = 5_000

export interface HeadlessPeerOptions {
  anchor: OrgAnchor
  orgState(): OrgState
  credential: Uint8Array
  signingSecretKey: Uint8Array
  listen: string[]
  announce?: string[]
  privateKey?: PrivateKey
  mailbox: MailboxLimits
  now(): number
  random: RandomSource
  /** Native signature checks for links and envelopes where the runtime has them. */
  provider?: CryptoProvider
  /** Journal file: the mailbox survives restarts (Node only). In memory only when absent. */
  journalPath?: string
}

export interface HeadlessPeer {
  node: ConchNode
  mailbox: BlindMailbox
  peer: MailboxPeer
  auth: LinkAuthenticator
  gossip: GossipStats
  gossipGate: GossipGateStats
  /** Multiaddrs devices dial (each ends in /p2p/<peer id>). */
  addresses(): string[]
  /**
   * Call after the org state changed: drops links of revoked devices, and hangs up on peers that
   * hold a gossip topic they may no longer read (every topic goes with the connection).
   */
  orgStateChanged(): void
  metrics(): Record<string, unknown>
  /** Periodic upkeep: age out old items, compact the journal, re-check gossip topics. */
  maintain(): void
  stop(): Promise<void>
}

export async function startHeadlessPeer(opts: HeadlessPeerOptions): Promise<HeadlessPeer> {
  const deviceId = decodeCredential(opts.credential).device.deviceId
  const check = { orgState: opts.orgState, now: opts.now, provider: opts.provider }
  const mailbox = new BlindMailbox(opts.mailbox)
  const journal = opts.journalPath
    ? new (await import('./mailbox-journal.ts')).MailboxJournal(
      opts.journalPath,
      mailbox,
      opts.now(),
    )
    : undefined
  const gossip = newGossipStats()
  // Relay slots only for devices that proved an org certificate on a Conch link.
  const authenticated = new AuthenticatedPeers()
  const node = await createConchNode({
    role: 'relay',
    listen: opts.listen,
    announce: opts.announce,
    privateKey: opts.privateKey,
    allowRelayReservation: (peerId) => authenticated.admit(peerId, RESERVATION_WAIT_MS),
    // Started below, once the gossip gate is in place: no RPC ever reaches gossipsub ungated.
    start: false,
  })
  // Relay gossip for every org channel a device is in: once a device's HAVE names a channel it
  // reads, the relay joins its topic (validating at this hop), so members behind it form one mesh.
  // Only channels the org log lists: for any other (a DM) it cannot tell who reads it, and its
  // topic would be announced to every peer. Those are served over Conch links only.
  /** gossip topic -> hex channel id, for the topics this relay joined */
  const topics = new Map<string, string>()
  const gate = gateGossip(
    node.services.pubsub,
    gossipAccess({
      peers: authenticated,
      channelOf: (topic) => topics.get(topic),
      orgState: opts.orgState,
      now: opts.now,
    }),
  )
  // Hanging up drops the peer from every topic and mesh at once (and its Conch links with it).
  const enforce = (only?: string) => {
    for (const p of gate.reconsider(only)) node.hangUp(p).catch(() => {})
  }
  const joinTopic = (channel: string) => {
    if (!opts.orgState().channels.has(channel)) return
    const topic = gossipTopic(fromHex(channel))
    if (topics.has(topic)) return
    topics.set(topic, channel)
    validateGossipTopic(node, topic, check, gossip)
    node.services.pubsub.subscribe(topic)
    enforce()
  }
  const peer = new MailboxPeer({
    mailbox,
    deviceId,
    check,
    now: opts.now,
    mayRead: (device, channel) => readsChannel(opts.orgState(), device, channel, opts.now()),
    onChannel: joinTopic,
  })
  const peerOf = (l: PeerLink) => ((l as AuthenticatedLink).raw as StreamLink).remotePeer.toString()
  const deviceOf = (l: PeerLink) => toHex((l as AuthenticatedLink).identity.deviceId)
  const auth = authenticateLinks({
    up: (l) => {
      authenticated.add(peerOf(l), deviceOf(l))
      peer.events.up(l)
      enforce(peerOf(l))
    },
    down: (l) => {
      if (authenticated.remove(peerOf(l), deviceOf(l))) enforce(peerOf(l))
      peer.events.down(l)
    },
    frame: (l, b) => peer.events.frame(l, b),
  }, {
    anchor: opts.anchor,
    orgState: opts.orgState,
    credential: opts.credential,
    signingSecretKey: opts.signingSecretKey,
    now: opts.now,
    random: opts.random,
  })
  // Gossiped envelopes (already validated at this hop) go into the mailbox as well.
  node.services.pubsub.addEventListener('message', async (event) => {
    if (!topics.has(event.detail.topic)) return
    const v = await checkEnvelopeForRelay(check, event.detail.data)
    if (v.verdict === 'accept') mailbox.putEnvelope(v.envelope, opts.now())
  })
  await node.start()
  const links = new Libp2pLinks(node, auth.events)
  await links.start()
  return {
    node,
    mailbox,
    peer,
    auth,
    gossip,
    gossipGate: gate.stats,
    addresses: () => node.getMultiaddrs().map((m) => m.toString()),
    orgStateChanged() {
      auth.revalidate()
      // Channels named before our copy of the org log listed them.
      for (const channel of peer.channelsSeen()) joinTopic(channel)
      enforce()
    },
    metrics: () => ({
      peerId: node.peerId.toString(),
      deviceId: toHex(deviceId),
      connections: node.getConnections().length,
      mailbox: mailbox.metrics,
      links: peer.stats,
      linkAuth: auth.stats,
      relay: {
        reservationsGranted: authenticated.granted,
        reservationsDenied: authenticated.denied,
      },
      gossip,
      gossipGate: { ...gate.stats, topics: topics.size },
    }),
    maintain() {
      // Certificates expire without any org log change: re-check who holds which topic (map
      // lookups; the mailbox checks expiry at every frame anyway).
      enforce()
      mailbox.expire(opts.now())
      journal?.compactIfLarge()
    },
    async stop() {
      await links.stop()
      await node.stop()
      journal?.close()
    },
  }
}
