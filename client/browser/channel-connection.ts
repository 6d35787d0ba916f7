// Connects one channel engine to the network: a signaling connection (admission, org-log pushes)
// and a WebRTC mesh on the channel's topic, optionally with link authentication (org channels).
// A connection can be closed and made again, so the app drops every socket when the browser goes
// offline and reconnects when it returns; the engine keeps what was composed meanwhile and
// reconciliation sends it on the next link-up.

import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { PeerLink } from '../transport/peer-link.ts'
import { authenticateLinks, type LinkAuthenticator } from '../transport/link-auth.ts'
import {
  SignalingClient,
  type SignalingMessage,
  type SignalingStatus,
} from '../transport/signaling-client.ts'
import { WebrtcMesh } from '../transport/webrtc-mesh.ts'

export interface LinkedEngine {
  linkUp(link: PeerLink): void
  linkDown(link: PeerLink): void
  receive(link: PeerLink, bytes: Uint8Array): void
}

export interface ConnectionOptions {
  url: string
  topic: string
  engine: LinkedEngine
  answerChallenge(challenge: unknown): SignalingMessage
  onWorkerMessage(message: SignalingMessage, signaling: SignalingClient): void
  onStatus(status: SignalingStatus, peers: number, detail?: string): void
  random: RandomSource
  /** Org channels: links must prove a device credential before the engine sees them. */
  linkAuth?: {
    anchor: OrgAnchor
    orgState(): OrgState
    credential: Uint8Array
    signingSecretKey: Uint8Array
    now(): number
  }
}

export interface ChannelConnection {
  readonly connected: boolean
  connect(): void
  disconnect(): void
  /** Re-checks authenticated links after the org state changed. */
  revalidate(): void
}

export function channelConnection(opts: ConnectionOptions): ChannelConnection {
  let live: { signaling: SignalingClient; mesh: WebrtcMesh; auth?: LinkAuthenticator } | undefined
  const connect = () => {
    if (live) return
    // The mesh needs the signaling client and the client's callbacks need the mesh.
    const ref: { mesh?: WebrtcMesh } = {}
    let status: SignalingStatus = 'connecting'
    let detail: string | undefined
    const report = () => opts.onStatus(status, ref.mesh?.peerCount ?? 0, detail)
    const signaling: SignalingClient = new SignalingClient({
      url: opts.url,
      answerChallenge: opts.answerChallenge,
      onMessage: (m) => {
        if (m.type === 'publish') ref.mesh?.handle(m)
        else opts.onWorkerMessage(m, signaling)
      },
      onOpen: () => ref.mesh?.start(),
      onStatus: (s, d) => {
        status = s
        detail = d
        report()
      },
    })
    const events = {
      up: (link: PeerLink) => {
        opts.engine.linkUp(link)
        report()
      },
      down: (link: PeerLink) => {
        opts.engine.linkDown(link)
        report()
      },
      frame: (link: PeerLink, bytes: Uint8Array) => opts.engine.receive(link, bytes),
    }
    const auth = opts.linkAuth &&
      authenticateLinks(events, { ...opts.linkAuth, random: opts.random })
    // The transport peer id is fresh per connection: it names a connection, not a person.
    const peerId = Array.from(opts.random(16), (b) => b.toString(16).padStart(2, '0')).join('')
    const mesh = new WebrtcMesh({
      signaling,
      topic: opts.topic,
      peerId,
      events: auth?.events ?? events,
    })
    ref.mesh = mesh
    if (signaling.status === 'open') mesh.start()
    live = { signaling, mesh, auth }
    report()
  }
  return {
    get connected() {
      return live !== undefined
    },
    connect,
    disconnect() {
      if (live) {
        live.mesh.close()
        live.signaling.close()
        live = undefined
      }
      opts.onStatus('closed', 0)
    },
    revalidate() {
      live?.auth?.revalidate()
    },
  }
}

/** The org connection: a signaling connection with no mesh, plus watched topics. */
export interface OrgConnection extends ChannelConnection {
  /** Topics to hear announcements on (kept across reconnects); replaces the previous set. */
  watch(topics: Iterable<string>): void
}

/**
 * A signaling connection alone (no mesh): admission, org-log pushes, and announcements on the
 * watched topics (DM doorbells: a colleague opening a DM with us announces on its topic).
 */
export function signalingConnection(
  opts: Pick<ConnectionOptions, 'url' | 'answerChallenge' | 'onWorkerMessage'> & {
    onStatus(status: SignalingStatus, detail?: string): void
    onAnnounce?(topic: string): void
  },
): OrgConnection {
  let live: SignalingClient | undefined
  let watched = new Set<string>()
  return {
    get connected() {
      return live !== undefined
    },
    connect() {
      if (live) return
      const client: SignalingClient = new SignalingClient({
        url: opts.url,
        answerChallenge: opts.answerChallenge,
        onMessage: (m) => {
          if (m.type !== 'publish') opts.onWorkerMessage(m, client)
          else if (typeof m.topic === 'string' && watched.has(m.topic)) {
            const data = m.data as { type?: unknown } | undefined
            if (data?.type === 'announce') opts.onAnnounce?.(m.topic)
          }
        },
        onStatus: (s, d) => opts.onStatus(s, d),
      })
      // The client replays its subscriptions after every reconnect.
      for (const t of watched) client.subscribe(t)
      live = client
    },
    disconnect() {
      live?.close()
      live = undefined
      opts.onStatus('closed')
    },
    revalidate() {},
    watch(topics) {
      const next = new Set(topics)
      for (const t of watched) if (!next.has(t)) live?.unsubscribe(t)
      for (const t of next) if (!watched.has(t)) live?.subscribe(t)
      watched = next
    },
  }
}

/** Every connection of the page follows the browser's online/offline state. */
export class Connectivity {
  private readonly all = new Set<ChannelConnection>()
  private online: boolean

  constructor(target: EventTarget = globalThis, initiallyOnline = navigator.onLine) {
    this.online = initiallyOnline
    target.addEventListener('offline', () => this.set(false))
    target.addEventListener('online', () => this.set(true))
  }

  add(connection: ChannelConnection): void {
    this.all.add(connection)
    if (this.online) connection.connect()
    else connection.disconnect()
  }

  private set(online: boolean): void {
    this.online = online
    for (const c of this.all) online ? c.connect() : c.disconnect()
  }
}
