// Connects channel engines to the network over the page's one signaling socket: the org
// connection owns it (admission, org-log pushes, DM doorbell topics) and each channel runs a
// WebRTC mesh on its topic through a port on it, optionally with link authentication (org
// channels). Connections can be closed and made again, so the app drops the socket and every
// mesh when the browser goes offline and reconnects when it returns; the engine keeps what was
// composed meanwhile and reconciliation sends it on the next link-up.

import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { PeerLink } from '../transport/peer-link.ts'
import { authenticateLinks, type LinkAuthenticator } from '../transport/link-auth.ts'
import { SharedSignaling, type SharedSignalingOptions } from '../transport/shared-signaling.ts'
import type { SignalingStatus } from '../transport/signaling-client.ts'
import { WebrtcMesh } from '../transport/webrtc-mesh.ts'

export interface LinkedEngine {
  linkUp(link: PeerLink): void
  linkDown(link: PeerLink): void
  receive(link: PeerLink, bytes: Uint8Array): void
}

export interface ConnectionOptions {
  /** The page's one socket (the org connection's `signaling`). */
  signaling: SharedSignaling
  topic: string
  engine: LinkedEngine
  /** The socket's status and detail with this channel's own peer count. */
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
  const shared = opts.signaling
  let live: { mesh: WebrtcMesh; stop(): void; auth?: LinkAuthenticator } | undefined
  const connect = () => {
    if (live) return
    // The mesh needs its port and the port's listener needs the mesh.
    const ref: { mesh?: WebrtcMesh } = {}
    const report = () => opts.onStatus(shared.status, ref.mesh?.peerCount ?? 0, shared.detail)
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
    // Publishes on this topic only; after a reconnect the mesh announces itself again.
    const port = shared.port({
      message: (m) => ref.mesh?.handle(m),
      open: () => ref.mesh?.start(),
    })
    // The transport peer id is fresh per connection: it names a connection, not a person.
    const peerId = Array.from(opts.random(16), (b) => b.toString(16).padStart(2, '0')).join('')
    const mesh = new WebrtcMesh({
      signaling: port,
      topic: opts.topic,
      peerId,
      events: auth?.events ?? events,
    })
    ref.mesh = mesh
    // Subscribed at once: the socket's (re)admission then carries every channel in one frame.
    port.subscribe(opts.topic)
    const stopStatus = shared.onStatus(report)
    if (shared.status === 'open') mesh.start()
    live = {
      mesh,
      auth,
      stop() {
        stopStatus()
        mesh.close()
        port.close()
      },
    }
    report()
  }
  return {
    get connected() {
      return live !== undefined
    },
    connect,
    disconnect() {
      live?.stop()
      live = undefined
      opts.onStatus('closed', 0)
    },
    revalidate() {
      live?.auth?.revalidate()
    },
  }
}

/** The org connection: the page's signaling socket, with no mesh of its own, plus watched topics. */
export interface OrgConnection extends ChannelConnection {
  /** The socket every channel connection of the page runs over. */
  readonly signaling: SharedSignaling
  /** Topics to hear announcements on (kept across reconnects); replaces the previous set. */
  watch(topics: Iterable<string>): void
}

/**
 * The page's signaling connection: admission, org-log pushes, announcements on the watched topics
 * (DM doorbells: a colleague opening a DM with us announces on its topic), and the socket that
 * channel connections share.
 */
export function signalingConnection(
  opts: SharedSignalingOptions & {
    onStatus(status: SignalingStatus, detail?: string): void
    onAnnounce?(topic: string): void
  },
): OrgConnection {
  const signaling = new SharedSignaling(opts)
  signaling.onStatus((s, d) => opts.onStatus(s, d))
  let watched = new Set<string>()
  // A doorbell topic may also be an open DM's topic: each port hears it, neither takes it away.
  // Doorbells are spare: past the worker's topic limit they yield to channels.
  const doorbells = signaling.port({
    message: (m) => {
      const data = m.data as { type?: unknown } | undefined
      if (data?.type === 'announce') opts.onAnnounce?.(m.topic as string)
    },
  }, { spare: true })
  return {
    signaling,
    get connected() {
      return signaling.connected
    },
    connect() {
      signaling.connect()
    },
    disconnect() {
      signaling.disconnect()
      opts.onStatus('closed')
    },
    revalidate() {},
    watch(topics) {
      const next = new Set(topics)
      for (const t of watched) if (!next.has(t)) doorbells.unsubscribe(t)
      for (const t of next) doorbells.subscribe(t)
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

  /** A channel left for good: its mesh closes, its topic is left, the socket stays for others. */
  remove(connection: ChannelConnection): void {
    if (this.all.delete(connection)) connection.disconnect()
  }

  private set(online: boolean): void {
    this.online = online
    for (const c of this.all) online ? c.connect() : c.disconnect()
  }
}
