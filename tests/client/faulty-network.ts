// An in-process network that misbehaves on purpose, replayably: every frame may be dropped,
// duplicated or delayed (so reordered), links can be partitioned, peers crash (their storage
// stops mid-write) and restart. One seeded PRNG decides everything.

import type { ChannelEngine } from '../../client/engine/channel-engine.ts'
import type { RawRow, RawStore } from '../../client/storage/raw-store.ts'
import type { PeerLink } from '../../client/transport/peer-link.ts'

/** A mulberry32 PRNG: small, fast, and the same sequence everywhere for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A RawStore that, once crashed, never completes another read or write (a dead process). */
export function crashable(base: RawStore): RawStore & { crash(): void } {
  let dead = false
  const never = <T>() => new Promise<T>(() => {})
  return {
    crash: () => (dead = true),
    write: (puts: readonly RawRow[], deletes) => (dead ? never() : base.write(puts, deletes)),
    get: (t, k) => (dead ? never() : base.get(t, k)),
    list: (t, p) => (dead ? never() : base.list(t, p)),
    clear: () => (dead ? never() : base.clear()),
  }
}

export interface Faults {
  drop: number
  duplicate: number
  /** Frames are delayed by 0..maxDelay ticks: later ticks reorder them. */
  maxDelay: number
}

interface InFlight {
  due: number
  order: number
  to: string
  incarnation: number
  via: PeerLink
  bytes: Uint8Array
}

interface Node {
  engine: ChannelEngine
  incarnation: number
  alive: boolean
  /** Links (by peer name) currently up at this node. */
  links: Map<string, PeerLink>
}

export class FaultyNetwork {
  private readonly nodes = new Map<string, Node>()
  private readonly cut = new Set<string>()
  private queue: InFlight[] = []
  private tickNo = 0
  private linkNo = 0

  constructor(private readonly rand: () => number, public faults: Faults) {}

  private pair(a: string, b: string): string {
    return a < b ? `${a}|${b}` : `${b}|${a}`
  }

  get alive(): ChannelEngine[] {
    return [...this.nodes.values()].filter((n) => n.alive).map((n) => n.engine)
  }

  /** Adds (or restarts) a node and links it to every live peer it is not partitioned from. */
  join(name: string, engine: ChannelEngine): void {
    const old = this.nodes.get(name)
    const node: Node = {
      engine,
      incarnation: (old?.incarnation ?? 0) + 1,
      alive: true,
      links: new Map(),
    }
    this.nodes.set(name, node)
    for (const [peer, other] of this.nodes) {
      if (peer !== name && other.alive && !this.cut.has(this.pair(name, peer))) {
        this.link(name, peer)
      }
    }
  }

  crash(name: string): void {
    const node = this.nodes.get(name)!
    node.alive = false
    for (const peer of node.links.keys()) this.unlink(name, peer)
  }

  partition(a: string, b: string, apart: boolean): void {
    const key = this.pair(a, b)
    if (apart) {
      this.cut.add(key)
      this.unlink(a, b)
    } else {
      this.cut.delete(key)
      const [na, nb] = [this.nodes.get(a), this.nodes.get(b)]
      if (na?.alive && nb?.alive && !na.links.has(b)) this.link(a, b)
    }
  }

  healAll(): void {
    for (const key of [...this.cut]) {
      const [a, b] = key.split('|')
      this.partition(a, b, false)
    }
  }

  /**
   * Engines run concurrently, so the order in which links send is not replayable; each link has
   * its own PRNG and frame counter, and `tick` sorts by them before its seeded shuffle.
   */
  private endpoint(from: string, to: string): PeerLink {
    const linkNo = this.linkNo++
    const id = `${from}->${to}#${linkNo}`
    const rand = prng(Math.floor(this.rand() * 2 ** 32))
    let sent = 0
    const link: PeerLink = {
      id,
      kind: 'faulty',
      send: (bytes) => {
        const target = this.nodes.get(to)
        if (!target?.alive || this.nodes.get(from)?.links.get(to) !== link) return
        const n = sent++
        if (rand() < this.faults.drop) return
        const copies = rand() < this.faults.duplicate ? 2 : 1
        for (let i = 0; i < copies; i++) {
          const delay = Math.floor(rand() * (this.faults.maxDelay + 1))
          this.queue.push({
            due: this.tickNo + delay,
            order: linkNo * 1e7 + n * 2 + i,
            to,
            incarnation: target.incarnation,
            via: target.links.get(from)!,
            bytes,
          })
        }
      },
    }
    return link
  }

  private link(a: string, b: string): void {
    const na = this.nodes.get(a)!
    const nb = this.nodes.get(b)!
    const ab = this.endpoint(a, b)
    const ba = this.endpoint(b, a)
    na.links.set(b, ab)
    nb.links.set(a, ba)
    na.engine.linkUp(ab)
    nb.engine.linkUp(ba)
  }

  private unlink(a: string, b: string): void {
    const na = this.nodes.get(a)
    const nb = this.nodes.get(b)
    const ab = na?.links.get(b)
    const ba = nb?.links.get(a)
    na?.links.delete(b)
    nb?.links.delete(a)
    if (ab && na?.alive) na.engine.linkDown(ab)
    if (ba && nb?.alive) nb.engine.linkDown(ba)
  }

  /** Delivers the frames due now, in a seeded order, then lets every live engine finish. */
  async tick(): Promise<void> {
    const due = this.queue.filter((f) => f.due <= this.tickNo)
    this.queue = this.queue.filter((f) => f.due > this.tickNo)
    this.tickNo++
    due.sort((x, y) => x.order - y.order)
    for (let i = due.length - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1))
      ;[due[i], due[j]] = [due[j], due[i]]
    }
    for (const f of due) {
      const node = this.nodes.get(f.to)
      if (node?.alive && node.incarnation === f.incarnation) node.engine.receive(f.via, f.bytes)
    }
    await this.quiesce()
  }

  async quiesce(): Promise<void> {
    // Native crypto resolves on later turns of the event loop: wait until a full turn is quiet.
    for (let quiet = 0; quiet < 2;) {
      await new Promise((r) => setImmediate(r))
      const before = this.queue.length
      await Promise.all(this.alive.map((e) => e.idle()))
      quiet = this.queue.length === before ? quiet + 1 : 0
    }
  }

  get pending(): number {
    return this.queue.length
  }

  /** Ticks until nothing is in flight. */
  async drain(limit = 500): Promise<void> {
    for (let i = 0; i < limit && (this.queue.length > 0 || i === 0); i++) await this.tick()
  }
}
