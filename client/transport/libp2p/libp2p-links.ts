// Conch links over libp2p: every inbound Conch protocol stream and every stream we open becomes
// a PeerLink; `keep()` holds a link to a peer (the always-on peer) open across drops.

import type { Multiaddr } from '@multiformats/multiaddr'
import { multiaddr } from '@multiformats/multiaddr'
import type { LinkEvents, PeerLink } from '../peer-link.ts'
import type { ConchNode } from './conch-node.ts'
import { attachStream, CONCH_PROTOCOL, type StreamLink } from './stream-link.ts'

const MIN_REDIAL_MS = 500
const MAX_REDIAL_MS = 30_000
const STABLE_LINK_MS = 10_000

export class Libp2pLinks {
  private readonly kept = new Map<string, { stop: () => void }>()
  private readonly open = new Set<StreamLink>()
  /** Called once when a kept link goes down, to schedule the redial. */
  private readonly onDown = new Map<PeerLink, () => void>()
  private stopped = false
  private readonly tracked: LinkEvents

  constructor(private readonly node: ConchNode, events: LinkEvents) {
    this.tracked = {
      up: (l) => {
        this.open.add(l as StreamLink)
        events.up(l)
      },
      down: (l) => {
        this.open.delete(l as StreamLink)
        events.down(l)
        const redial = this.onDown.get(l)
        this.onDown.delete(l)
        redial?.()
      },
      frame: (l, b) => events.frame(l, b),
    }
  }

  /** Accepts Conch streams from any peer (each is authenticated inside, by link-auth). */
  async start(): Promise<void> {
    await this.node.handle(CONCH_PROTOCOL, (stream, connection) => {
      if (this.stopped) return stream.abort(new Error('stopping'))
      attachStream(stream, connection, this.node.peerId, this.tracked)
    }, { runOnLimitedConnection: true, maxInboundStreams: 8 })
  }

  get links(): readonly PeerLink[] {
    return [...this.open]
  }

  /** Opens one link to `addr` (a multiaddr ending in /p2p/<peer id>). */
  async dial(addr: string | Multiaddr): Promise<StreamLink> {
    const ma = typeof addr === 'string' ? multiaddr(addr) : addr
    const connection = await this.node.dial(ma)
    const stream = await connection.newStream(CONCH_PROTOCOL, { runOnLimitedConnection: true })
    return attachStream(stream, connection, this.node.peerId, this.tracked)
  }

  /**
   * Keeps a link to `addr` open: dials now and again after every drop or failed dial, backing
   * off exponentially (capped), until `stop()` or `release(addr)`.
   */
  keep(addr: string): void {
    if (this.kept.has(addr)) return
    let backoff = MIN_REDIAL_MS
    let timer: ReturnType<typeof setTimeout> | undefined
    let current: StreamLink | undefined
    let released = false
    const schedule = () => {
      if (released || this.stopped) return
      timer = setTimeout(attempt, backoff)
      backoff = Math.min(backoff * 2, MAX_REDIAL_MS)
    }
    const attempt = async () => {
      try {
        current = await this.dial(addr)
        const since = Date.now()
        // A link that lived a while resets the backoff; one refused at once (say, its proof
        // failed) keeps backing off, so a misconfigured peer is not hammered.
        const redial = () => {
          if (Date.now() - since > STABLE_LINK_MS) backoff = MIN_REDIAL_MS
          schedule()
        }
        if (this.open.has(current)) this.onDown.set(current, redial)
        else schedule()
      } catch {
        schedule()
      }
    }
    this.kept.set(addr, {
      stop: () => {
        released = true
        clearTimeout(timer)
        current?.close?.()
      },
    })
    void attempt()
  }

  release(addr: string): void {
    this.kept.get(addr)?.stop()
    this.kept.delete(addr)
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const addr of [...this.kept.keys()]) this.release(addr)
    for (const l of [...this.open]) l.close?.()
    await this.node.unhandle(CONCH_PROTOCOL).catch(() => {})
  }
}
