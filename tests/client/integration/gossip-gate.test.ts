// Properties of the gossip gate (client/transport/libp2p/gossip-gate.ts) under any interleaving of
// peer RPCs, policy changes (authentication, revocation, private-channel membership), the relay
// joining topics, reconnects and `reconsider()`: the router behind the gate only ever learns
// allowed (peer, topic) pairs, after `reconsider()` holds none that is no longer allowed, and holds
// every allowed one a connected peer asked for. The router here is a recording stand-in with
// gossipsub's two entry points; the real router runs in gossip-access.test.ts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { GossipSub } from '@libp2p/gossipsub'
import type { RPC } from '@libp2p/gossipsub/message'
import type { PeerId } from '@libp2p/interface'
import { gateGossip, type GossipAccess } from '../../../client/transport/libp2p/gossip-gate.ts'

const PEERS = ['p0', 'p1', 'p2']
const TOPICS = ['t0', 't1']

/** Who may do what right now: the policy the gate consults, changed by the commands. */
class Policy implements GossipAccess {
  authenticated = new Set<string>()
  allowed = new Set<string>()
  mayExchange = (peer: string) => this.authenticated.has(peer)
  mayJoin = (peer: string, topic: string) =>
    this.authenticated.has(peer) && this.allowed.has(`${peer}/${topic}`)
}

/** Records what reaches it and checks, at that moment, that the policy allowed it. */
class RecordingRouter {
  readonly connected = new Map<string, PeerId>()
  readonly ours = new Set<string>()
  /** topic -> subscribed peers, and topic -> meshed peers (an UNSUBSCRIBE leaves the mesh) */
  readonly subscribed = new Map<string, Set<string>>()
  readonly meshed = new Map<string, Set<string>>()
  /** peer -> our topics announced to it */
  readonly announced = new Map<string, Set<string>>()
  readonly violations: string[] = []

  constructor(private readonly policy: Policy) {}

  handleReceivedRpc(from: PeerId, rpc: RPC): Promise<void> {
    const id = from.toString()
    const check = (what: string, topic: string) => {
      if (!this.policy.mayJoin(id, topic)) this.violations.push(`${what} ${id}/${topic} let in`)
    }
    if (!this.policy.mayExchange(id)) this.violations.push(`rpc from ${id} let in`)
    for (const s of rpc.subscriptions) {
      if (s.subscribe) {
        check('subscribe', s.topic!)
        of(this.subscribed, s.topic!).add(id)
      } else of(this.subscribed, s.topic!).delete(id)
    }
    for (const m of rpc.messages) check('message', m.topic)
    for (const g of rpc.control?.graft ?? []) {
      check('graft', g.topicID!)
      of(this.meshed, g.topicID!).add(id)
    }
    for (const h of rpc.control?.ihave ?? []) check('ihave', h.topicID!)
    return Promise.resolve()
  }

  sendRpc(id: string, rpc: RPC): boolean {
    let topics = this.announced.get(id)
    if (!topics) this.announced.set(id, topics = new Set())
    for (const s of rpc.subscriptions) {
      if (!this.policy.mayJoin(id, s.topic!)) this.violations.push(`announced ${s.topic} to ${id}`)
      if (s.subscribe) topics.add(s.topic!)
    }
    for (const m of rpc.messages) {
      if (!this.policy.mayJoin(id, m.topic)) this.violations.push(`sent ${m.topic} to ${id}`)
    }
    for (const h of rpc.control?.ihave ?? []) {
      if (!this.policy.mayJoin(id, h.topicID!)) this.violations.push(`ihave ${h.topicID} to ${id}`)
    }
    return true
  }

  getPeers(): PeerId[] {
    return [...this.connected.values()]
  }

  getTopics(): string[] {
    return [...this.ours]
  }

  /** A hang-up: gossipsub forgets the peer everywhere. */
  drop(id: string): void {
    this.connected.delete(id)
    this.announced.delete(id)
    for (const peers of this.subscribed.values()) peers.delete(id)
    for (const peers of this.meshed.values()) peers.delete(id)
  }

  /** Whether gossipsub would send `id` anything of `topic` (subscriber or mesh peer). */
  holds(id: string, topic: string): boolean {
    return of(this.subscribed, topic).has(id) || of(this.meshed, topic).has(id)
  }
}

function of(map: Map<string, Set<string>>, topic: string): Set<string> {
  let peers = map.get(topic)
  if (!peers) map.set(topic, peers = new Set())
  return peers
}

const peerId = (id: string) => ({ toString: () => id }) as unknown as PeerId

type Op = { kind: 'sub' | 'unsub' | 'graft' | 'msg' | 'ihave'; topic: number }
type Command =
  | { type: 'rpc'; peer: number; ops: Op[] }
  | { type: 'policy'; authenticated: number; allowed: number }
  | { type: 'join'; topic: number }
  | { type: 'connect'; peer: number }
  /** Gossipsub forwards a message (and gossips an IHAVE) on a topic to every peer it holds there. */
  | { type: 'forward'; topic: number }
  /** `peer`: reconsider only that peer (its standing alone changed), else everyone. */
  | { type: 'reconsider'; peer?: number }

const op = fc.record({
  kind: fc.constantFrom('sub', 'unsub', 'graft', 'msg', 'ihave') as fc.Arbitrary<Op['kind']>,
  topic: fc.nat(TOPICS.length - 1),
})
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    type: fc.constant('rpc' as const),
    peer: fc.nat(PEERS.length - 1),
    ops: fc.array(op, { maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('policy' as const),
    authenticated: fc.nat((1 << PEERS.length) - 1),
    allowed: fc.nat((1 << (PEERS.length * TOPICS.length)) - 1),
  }),
  fc.record({ type: fc.constant('join' as const), topic: fc.nat(TOPICS.length - 1) }),
  fc.record({ type: fc.constant('connect' as const), peer: fc.nat(PEERS.length - 1) }),
  fc.record({ type: fc.constant('forward' as const), topic: fc.nat(TOPICS.length - 1) }),
  fc.record(
    { type: fc.constant('reconsider' as const), peer: fc.nat(PEERS.length - 1) },
    { requiredKeys: ['type'] },
  ),
)

function run(commands: Command[]) {
  const policy = new Policy()
  const router = new RecordingRouter(policy)
  const gate = gateGossip(router as unknown as GossipSub, policy)
  const wrapped = router as unknown as RecordingRouter
  /** peer -> topics it last asked to be in (what a connected peer should end up in) */
  const wants = new Map<string, Set<string>>()
  const connect = (id: string) => {
    if (router.connected.has(id)) return
    router.connected.set(id, peerId(id))
    wants.set(id, new Set())
    // As gossipsub does on a new outbound stream: announce every topic we relay.
    wrapped.sendRpc(id, {
      subscriptions: [...router.ours].map((topic) => ({ topic, subscribe: true })),
      messages: [],
    })
  }
  for (const id of PEERS) connect(id)

  for (const c of commands) {
    if (c.type === 'rpc') {
      const id = PEERS[c.peer]
      if (!router.connected.has(id)) continue
      const rpc: RPC = { subscriptions: [], messages: [], control: undefined }
      const control = { graft: [], ihave: [], iwant: [], prune: [], idontwant: [] } as NonNullable<
        RPC['control']
      >
      for (const o of c.ops) {
        const topic = TOPICS[o.topic]
        if (o.kind === 'sub' || o.kind === 'unsub') {
          rpc.subscriptions.push({ topic, subscribe: o.kind === 'sub' })
          if (o.kind === 'sub') wants.get(id)!.add(topic)
          else wants.get(id)!.delete(topic)
        } else if (o.kind === 'graft') {
          control.graft.push({ topicID: topic })
          wants.get(id)!.add(topic)
        } else if (o.kind === 'msg') rpc.messages.push({ topic, data: new Uint8Array(1) })
        else control.ihave.push({ topicID: topic, messageIDs: [] })
      }
      rpc.control = control
      void wrapped.handleReceivedRpc(peerId(id), rpc)
    } else if (c.type === 'policy') {
      policy.authenticated = new Set(PEERS.filter((_, i) => c.authenticated & (1 << i)))
      policy.allowed = new Set()
      PEERS.forEach((p, i) =>
        TOPICS.forEach((t, j) => {
          if (c.allowed & (1 << (i * TOPICS.length + j))) policy.allowed.add(`${p}/${t}`)
        })
      )
    } else if (c.type === 'join') {
      const topic = TOPICS[c.topic]
      if (router.ours.has(topic)) continue
      router.ours.add(topic)
      for (const id of router.connected.keys()) {
        wrapped.sendRpc(id, { subscriptions: [{ topic, subscribe: true }], messages: [] })
      }
    } else if (c.type === 'connect') {
      connect(PEERS[c.peer])
    } else if (c.type === 'forward') {
      const topic = TOPICS[c.topic]
      for (const id of router.connected.keys()) {
        if (!router.holds(id, topic)) continue
        wrapped.sendRpc(id, {
          subscriptions: [],
          messages: [{ topic, data: new Uint8Array(1) }],
          control: {
            ihave: [{ topicID: topic, messageIDs: [] }],
            iwant: [],
            graft: [],
            prune: [],
            idontwant: [],
          },
        })
      }
    } else {
      const only = c.peer === undefined ? undefined : PEERS[c.peer]
      for (const p of gate.reconsider(only)) router.drop(p.toString())
      const checked = only === undefined ? [...router.connected.keys()] : [only]
      // Safety: nothing the router holds is no longer allowed.
      for (const id of checked.filter((id) => router.connected.has(id))) {
        for (const topic of TOPICS) {
          if (!router.holds(id, topic)) continue
          expect(policy.mayJoin(id, topic), `${id} still in ${topic}`).toBe(true)
        }
      }
      // Liveness: every connected peer is in each allowed topic it asked for, and knows each
      // allowed topic we relay.
      for (const id of checked.filter((id) => router.connected.has(id))) {
        for (const topic of TOPICS) {
          if (!policy.mayJoin(id, topic)) continue
          if (wants.get(id)!.has(topic)) {
            expect(router.holds(id, topic), `${id} kept out of ${topic}`).toBe(true)
          }
          if (router.ours.has(topic)) {
            expect(router.announced.get(id)?.has(topic), `${topic} unannounced to ${id}`).toBe(
              true,
            )
          }
        }
      }
    }
    expect(router.violations).toEqual([])
  }
}

describe('gossip gate', () => {
  it('lets through only allowed pairs, evicts the disallowed, admits the allowed', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 10, maxLength: 80, size: 'max' }), (commands) => {
        run([...commands, { type: 'reconsider' }])
      }),
      { numRuns: 1000 },
    )
  })
})

describe('gossip gate, worked example', () => {
  it('a revoked peer that unsubscribes before the check is still evicted', () => {
    const all = (1 << (PEERS.length * TOPICS.length)) - 1
    run([
      { type: 'policy', authenticated: 1, allowed: all },
      { type: 'join', topic: 0 },
      { type: 'rpc', peer: 0, ops: [{ kind: 'sub', topic: 0 }] },
      { type: 'policy', authenticated: 0, allowed: all },
      { type: 'rpc', peer: 0, ops: [{ kind: 'unsub', topic: 0 }] },
      { type: 'reconsider' },
    ])
  })
})
