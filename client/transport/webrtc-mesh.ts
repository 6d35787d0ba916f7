// WebRTC mesh for one topic: peers find each other through signaling (y-webrtc's announce/signal
// messages) and then talk over an RTCDataChannel that carries only Conch sync frames.
// Signaling is untrusted: it only introduces peers; who they are is proven inside the channel.

import type { SignalingMessage, TopicSignaling } from './signaling-client.ts'
import type { LinkEvents, PeerLink } from './peer-link.ts'
import { dtlsBinding } from './dtls-binding.ts'

export const WEBRTC_LINK_KIND = 'webrtc-datachannel'
const ICE_GATHER_TIMEOUT_MS = 3_000
const REANNOUNCE_MIN_MS = 1_000
/** An attempt whose data channel is not open by then is dropped and the peers try again. */
const CONNECT_TIMEOUT_MS = 20_000

interface Connection {
  pc: RTCPeerConnection
  channel: RTCDataChannel | undefined
  link: PeerLink | undefined
  timer: ReturnType<typeof setTimeout> | undefined
}

export interface WebrtcMeshOptions {
  /** A SignalingClient of its own, or a port on the page's shared socket (shared-signaling.ts). */
  signaling: TopicSignaling
  topic: string
  peerId: string
  events: LinkEvents
  iceServers?: RTCIceServer[]
  /**
   * How long an attempt may take before it is given up (default 20 s). An offer or answer lost on
   * the way (a signaling drop, a rate limit, a worker restart) would otherwise hold the slot for
   * that peer forever.
   */
  connectTimeoutMs?: number
}

/** Waits until ICE gathering completes (non-trickle), so one signal carries the whole SDP. */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ICE_GATHER_TIMEOUT_MS)
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') {
        clearTimeout(timer)
        resolve()
      }
    })
  })
}

export class WebrtcMesh {
  private readonly conns = new Map<string, Connection>()
  private lastAnnounce = 0
  private closed = false

  constructor(private readonly opts: WebrtcMeshOptions) {}

  get peerCount(): number {
    let n = 0
    for (const c of this.conns.values()) if (c.link) n++
    return n
  }

  /** Call when signaling (re)opens: subscribe and tell the topic we are here. */
  start(): void {
    if (this.closed) return
    this.opts.signaling.subscribe(this.opts.topic)
    this.announce(true)
  }

  /** Feed every signaling message here (others' topics are ignored). */
  handle(message: SignalingMessage): void {
    // A closed mesh starts nothing new: its peers are gone and its topic left.
    if (this.closed) return
    if (message.type !== 'publish' || message.topic !== this.opts.topic) return
    const data = message.data as Record<string, unknown> | undefined
    if (!data || typeof data.from !== 'string' || data.from === this.opts.peerId) return
    const from = data.from
    if (data.type === 'announce') {
      // Whoever hears an announce offers (as y-webrtc does); simultaneous offers are settled in
      // onSignal, where the smaller peer id wins.
      if (!this.conns.has(from)) void this.initiate(from)
    } else if (data.type === 'signal' && data.to === this.opts.peerId) {
      void this.onSignal(from, data.signal as Record<string, unknown> | undefined)
    }
  }

  close(): void {
    this.closed = true
    for (const [id, conn] of this.conns) this.drop(id, conn)
  }

  private announce(force: boolean): void {
    const now = Date.now()
    if (!force && now - this.lastAnnounce < REANNOUNCE_MIN_MS) return
    this.lastAnnounce = now
    this.opts.signaling.publish(this.opts.topic, { type: 'announce', from: this.opts.peerId })
  }

  private signal(to: string, signal: Record<string, unknown>): void {
    this.opts.signaling.publish(this.opts.topic, {
      type: 'signal',
      from: this.opts.peerId,
      to,
      signal,
    })
  }

  private create(remote: string): Connection {
    const pc = new RTCPeerConnection({ iceServers: this.opts.iceServers ?? [] })
    const conn: Connection = { pc, channel: undefined, link: undefined, timer: undefined }
    this.conns.set(remote, conn)
    conn.timer = setTimeout(() => {
      if (!conn.link) this.drop(remote, conn)
    }, this.opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS)
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
        this.drop(remote, conn)
      }
    })
    pc.addEventListener('datachannel', (event) => this.attach(remote, conn, event.channel))
    return conn
  }

  private attach(remote: string, conn: Connection, channel: RTCDataChannel): void {
    conn.channel = channel
    channel.binaryType = 'arraybuffer'
    channel.onopen = () => {
      const link: PeerLink = {
        id: remote,
        kind: WEBRTC_LINK_KIND,
        send: (frame) => channel.send(frame as Uint8Array<ArrayBuffer>),
        close: () => this.drop(remote, conn),
        // DTLS fingerprints of both SDPs: link authentication signs them (transport.md §2).
        binding: dtlsBinding(conn.pc),
      }
      conn.link = link
      clearTimeout(conn.timer)
      this.opts.events.up(link)
    }
    channel.onmessage = (event) => {
      if (conn.link && event.data instanceof ArrayBuffer) {
        this.opts.events.frame(conn.link, new Uint8Array(event.data))
      }
    }
    channel.onclose = () => this.drop(remote, conn)
  }

  private async initiate(remote: string): Promise<void> {
    const conn = this.create(remote)
    this.attach(remote, conn, conn.pc.createDataChannel('conch', { ordered: true }))
    await conn.pc.setLocalDescription(await conn.pc.createOffer())
    await gathered(conn.pc)
    const local = conn.pc.localDescription
    if (local) this.signal(remote, { type: local.type, sdp: local.sdp })
  }

  private async onSignal(
    remote: string,
    signal: Record<string, unknown> | undefined,
  ): Promise<void> {
    if (!signal || typeof signal.sdp !== 'string') return
    try {
      if (signal.type === 'offer') {
        const existing = this.conns.get(remote)
        const glare = existing?.pc.signalingState === 'have-local-offer'
        // Glare: both sides offered. The smaller id keeps its offer; the other answers it.
        if (glare && this.opts.peerId < remote) return
        if (existing) this.drop(remote, existing, false)
        const conn = this.create(remote)
        await conn.pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp })
        await conn.pc.setLocalDescription(await conn.pc.createAnswer())
        await gathered(conn.pc)
        const local = conn.pc.localDescription
        if (local) this.signal(remote, { type: local.type, sdp: local.sdp })
      } else if (signal.type === 'answer') {
        const conn = this.conns.get(remote)
        if (conn && conn.pc.signalingState === 'have-local-offer') {
          await conn.pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp })
        }
      }
    } catch {
      // A malformed or stale SDP from an untrusted relay: drop this attempt; re-announce retries.
      this.drop(remote, this.conns.get(remote))
    }
  }

  /** Drops `conn` if it is still the current connection to `remote` (stale events are ignored). */
  private drop(remote: string, conn: Connection | undefined, reannounce = true): void {
    if (!conn || this.conns.get(remote) !== conn) return
    this.conns.delete(remote)
    clearTimeout(conn.timer)
    if (conn.link) this.opts.events.down(conn.link)
    conn.channel?.close()
    conn.pc.close()
    // Let the peer (or its successor after a reload) find us again.
    if (reannounce && !this.closed) setTimeout(() => this.announce(false), REANNOUNCE_MIN_MS)
  }
}
