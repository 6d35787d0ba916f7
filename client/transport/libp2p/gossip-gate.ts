// Who a gossipsub router exchanges topics with (transport.md §3.1). Gossipsub sends a topic's
// messages, IHAVE gossip and IDONTWANT only to peers in its view of that topic (subscribers and
// mesh), and that view is built from nothing but the peer's own SUBSCRIBE and GRAFT requests. So
// the gate sits in front of every incoming RPC (`handleReceivedRpc`, the router's public entry
// point) and lets a request through only for a topic the access policy lets that peer join; a
// peer that may exchange nothing has its whole RPC dropped. A refused SUBSCRIBE or GRAFT is
// remembered and replayed once the policy allows it (the device's link finished authenticating,
// the relay joined the topic), so the device's view of the mesh and ours agree again. Our own
// SUBSCRIBE announcements (which topics we relay) likewise go to a peer only for topics it may
// join, and the rest follow once it may (`sendRpc`, the one place gossipsub sends from). When the policy narrows (a revocation, a removal from a private channel),
// `reconsider()` names the peers holding a topic they may no longer join: the caller hangs up on
// them, which removes them from every topic at once, as the signaling worker closes sockets.

import type { GossipSub } from '@libp2p/gossipsub'
import type { RPC } from '@libp2p/gossipsub/message'
import type { PeerId } from '@libp2p/interface'

export interface GossipAccess {
  /** May this peer (libp2p peer id) exchange anything at all: an authenticated, active device. */
  mayExchange(peer: string): boolean
  /** May it take part in this topic: it reads the topic's channel (implies `mayExchange`). */
  mayJoin(peer: string, topic: string): boolean
}

export interface GossipGateStats {
  /** RPCs dropped whole: from peers that may exchange nothing. */
  droppedRpcs: number
  /** Subscriptions held back (topic not allowed yet), and later let through. */
  withheld: number
  admitted: number
  /** GRAFT, IHAVE and messages dropped for topics the peer may not join. */
  droppedControl: number
  droppedMessages: number
  /** Peers named for hanging up because they held a topic they may no longer join. */
  evicted: number
  /** Our own topic announcements held back from peers that may not join those topics (yet). */
  unannounced: number
  /** Messages gossipsub would have sent to a peer that may not (or no longer) join their topic. */
  withheldMessages: number
}

export interface GossipGate {
  readonly stats: GossipGateStats
  /**
   * Re-applies the policy (call after it changed): lets withheld subscriptions through that are
   * now allowed, and returns the connected peers that hold a topic they may no longer join.
   * The caller must hang up on them (`node.hangUp`): gossipsub then forgets them everywhere.
   * `only` (a peer id) limits the work to that peer, when only its standing changed.
   */
  reconsider(only?: string): PeerId[]
}

/** Subscriptions remembered per refused peer, and refused peers remembered: both bounded. */
const MAX_WITHHELD_TOPICS = 64
const MAX_WITHHELD_PEERS = 4096

interface RpcRouter {
  handleReceivedRpc(from: PeerId, rpc: RPC): Promise<void>
  sendRpc(id: string, rpc: RPC): boolean
}

/** Installs the gate on `pubsub` (once, before any peer connects). */
export function gateGossip(pubsub: GossipSub, access: GossipAccess): GossipGate {
  const router = pubsub as unknown as RpcRouter
  // Fail closed: without this entry point nothing can be restricted, so refuse to start.
  if (typeof router.handleReceivedRpc !== 'function' || typeof router.sendRpc !== 'function') {
    throw new Error('gossipsub lacks handleReceivedRpc or sendRpc: cannot restrict its topics')
  }
  const inner = router.handleReceivedRpc.bind(pubsub)
  const send = router.sendRpc.bind(pubsub)
  const stats: GossipGateStats = {
    droppedRpcs: 0,
    withheld: 0,
    admitted: 0,
    droppedControl: 0,
    droppedMessages: 0,
    evicted: 0,
    unannounced: 0,
    withheldMessages: 0,
  }
  /** peer -> topics it asked for and was refused (for now) -> whether it asked to be grafted */
  const withheld = new Map<string, { peer: PeerId; topics: Map<string, boolean> }>()
  /** peer -> topics it was let into (subscribed or grafted): what `reconsider` re-checks */
  const joined = new Map<string, Set<string>>()
  /** peer -> our own subscriptions not announced to it yet (it may not join those topics) */
  const owed = new Map<string, Set<string>>()

  const remember = (peer: PeerId, id: string, topic: string, graft: boolean) => {
    let w = withheld.get(id)
    if (!w) {
      if (withheld.size >= MAX_WITHHELD_PEERS) return
      withheld.set(id, w = { peer, topics: new Map() })
    }
    const known = w.topics.get(topic)
    if (known === undefined) {
      if (w.topics.size >= MAX_WITHHELD_TOPICS) return
      stats.withheld++
    }
    w.topics.set(topic, graft || (known ?? false))
  }
  const join = (id: string, topic: string) => {
    let topics = joined.get(id)
    if (!topics) joined.set(id, topics = new Set())
    topics.add(topic)
  }

  const filter = (from: PeerId, rpc: RPC): RPC | undefined => {
    const id = from.toString()
    const subscriptions: RPC.SubOpts[] = []
    for (const sub of rpc.subscriptions ?? []) {
      if (sub.topic == null) continue
      if (sub.subscribe === true && !access.mayJoin(id, sub.topic)) {
        remember(from, id, sub.topic, false)
        continue
      }
      // Asked again (allowed now) or withdrawn: nothing left to replay for it.
      withheld.get(id)?.topics.delete(sub.topic)
      subscriptions.push(sub)
    }
    const graft: RPC.ControlGraft[] = []
    for (const g of rpc.control?.graft ?? []) {
      if (g.topicID == null) continue
      if (access.mayJoin(id, g.topicID)) graft.push(g)
      else remember(from, id, g.topicID, true)
    }
    if (!access.mayExchange(id)) {
      stats.droppedRpcs++
      return undefined
    }
    // Never forgotten on UNSUBSCRIBE: gossipsub keeps an unsubscribed peer in the mesh until it
    // prunes it, so `reconsider` keeps checking every topic the peer was ever let into.
    for (const sub of subscriptions) if (sub.subscribe === true) join(id, sub.topic!)
    for (const g of graft) join(id, g.topicID!)
    const messages = (rpc.messages ?? []).filter((m) => access.mayJoin(id, m.topic))
    stats.droppedMessages += (rpc.messages?.length ?? 0) - messages.length
    let control = rpc.control
    if (control) {
      const ihave = control.ihave.filter((h) => h.topicID != null && access.mayJoin(id, h.topicID))
      stats.droppedControl += control.graft.length - graft.length +
        control.ihave.length - ihave.length
      // PRUNE only takes the peer out; IWANT names message ids, which are content hashes, so
      // only a peer that already holds a message can ask for it; IDONTWANT sends nothing back.
      control = { ...control, graft, ihave }
    }
    return { subscriptions, messages, control }
  }

  router.handleReceivedRpc = (from, rpc) => {
    const allowed = filter(from, rpc)
    return allowed ? inner(from, allowed) : Promise.resolve()
  }

  // Messages, IHAVE, GRAFT and PRUNE reach only peers in a topic, which the filter above keeps to
  // those allowed. Checked again on the way out all the same (a forward racing a hang-up, an
  // IWANT answer), and our own list of topics is held back here until the peer may join them.
  router.sendRpc = (id, rpc) => {
    const subs = rpc.subscriptions ?? []
    const msgs = rpc.messages ?? []
    const ihave = rpc.control?.ihave ?? []
    // The common case, a forward to a mesh peer: everything allowed, sent untouched.
    if (
      subs.every((s) => s.topic != null && access.mayJoin(id, s.topic)) &&
      msgs.every((m) => access.mayJoin(id, m.topic)) &&
      ihave.every((h) => h.topicID != null && access.mayJoin(id, h.topicID))
    ) {
      for (const sub of subs) owed.get(id)?.delete(sub.topic!)
      return send(id, rpc)
    }
    const subscriptions: RPC.SubOpts[] = []
    for (const sub of subs) {
      if (sub.topic == null) continue
      if (access.mayJoin(id, sub.topic)) {
        owed.get(id)?.delete(sub.topic)
        subscriptions.push(sub)
        continue
      }
      let topics = owed.get(id)
      if (!topics) owed.set(id, topics = new Set())
      if (sub.subscribe === true) topics.add(sub.topic)
      else topics.delete(sub.topic)
      stats.unannounced++
    }
    const messages = msgs.filter((m) => access.mayJoin(id, m.topic))
    stats.withheldMessages += msgs.length - messages.length
    const control = rpc.control && {
      ...rpc.control,
      ihave: ihave.filter((h) => h.topicID != null && access.mayJoin(id, h.topicID)),
    }
    const nothingLeft = subscriptions.length + messages.length === 0 &&
      (!control || control.ihave.length + control.graft.length + control.prune.length +
              control.iwant.length + control.idontwant.length === 0)
    if (nothingLeft) return false
    return send(id, { ...rpc, subscriptions, messages, control })
  }

  /** One peer's turn: announce, admit, or name it for eviction (returns true to evict). */
  const reconsiderPeer = (id: string, ours: Set<string>): boolean => {
    const topics = joined.get(id)
    if (topics && ![...topics].every((t) => access.mayJoin(id, t))) {
      joined.delete(id)
      withheld.delete(id)
      owed.delete(id)
      return true
    }
    // First tell a newly allowed peer which topics we relay, then let its requests in.
    const o = owed.get(id)
    const announce = o ? [...o].filter((t) => ours.has(t) && access.mayJoin(id, t)) : []
    for (const t of announce) o!.delete(t)
    if (o?.size === 0) owed.delete(id)
    if (announce.length) {
      send(id, {
        subscriptions: announce.map((topic) => ({ topic, subscribe: true })),
        messages: [],
      })
    }
    const w = withheld.get(id)
    const admit = w ? [...w.topics].filter(([t]) => access.mayJoin(id, t)) : []
    if (admit.length === 0) return false
    for (const [t] of admit) {
      w!.topics.delete(t)
      join(id, t)
    }
    if (w!.topics.size === 0) withheld.delete(id)
    stats.admitted += admit.length
    // As if the peer had asked just now: subscribed, and grafted where it asked to be.
    const replay: RPC = {
      subscriptions: admit.map(([topic]) => ({ topic, subscribe: true })),
      messages: [],
      control: {
        graft: admit.filter(([, graft]) => graft).map(([topicID]) => ({ topicID })),
        ihave: [],
        iwant: [],
        prune: [],
        idontwant: [],
      },
    }
    inner(w!.peer, replay).catch(() => {})
    return false
  }

  return {
    stats,
    reconsider(only) {
      const connected = new Map(pubsub.getPeers().map((p) => [p.toString(), p]))
      const ours = new Set(pubsub.getTopics())
      const ids = only === undefined
        ? new Set([...joined.keys(), ...owed.keys(), ...withheld.keys()])
        : [only]
      const evict: PeerId[] = []
      for (const id of ids) {
        const peer = connected.get(id)
        if (!peer) {
          joined.delete(id)
          owed.delete(id)
          withheld.delete(id)
        } else if (reconsiderPeer(id, ours)) {
          evict.push(peer)
        }
      }
      stats.evicted += evict.length
      return evict
    },
  }
}
