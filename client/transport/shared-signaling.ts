// One signaling socket for the whole page: every user (each channel's mesh, the DM doorbells)
// subscribes its topics through a port on it, `publish` messages reach the ports of their topic,
// and after every reconnect the subscriptions are replayed before each port hears `open`.

import {
  SignalingClient,
  type SignalingMessage,
  type SignalingStatus,
  type TopicSignaling,
} from './signaling-client.ts'

/** One user of the shared socket. */
export interface TopicListener {
  /** A `publish` the worker relayed on one of this listener's topics. */
  message(message: SignalingMessage): void
  /** The socket (re)opened and was admitted; every topic is subscribed again by now. */
  open?(): void
}

/** A listener's handle on the shared socket. */
export interface TopicPort extends TopicSignaling {
  unsubscribe(topic: string): void
  /** Leaves every topic of this port (the socket stays for the others); idempotent. */
  close(): void
}

export interface SharedSignalingOptions {
  url: string
  /** Admission; without it the worker must be in open mode. */
  answerChallenge?(challenge: unknown): SignalingMessage
  /** Every message that is not a `publish` (welcome, org-log, pong): once, not once per topic. */
  onWorkerMessage(message: SignalingMessage, client: SignalingClient): void
  WebSocketImpl?: typeof WebSocket
}

export type StatusListener = (status: SignalingStatus, detail?: string) => void

export class SharedSignaling {
  private client: SignalingClient | undefined
  /** Bumped on every connect and disconnect: events of a closed client are stale. */
  private generation = 0
  private readonly subscribers = new Map<string, Set<TopicListener>>()
  private readonly listeners = new Set<TopicListener>()
  private readonly statusListeners = new Set<StatusListener>()
  private currentStatus: SignalingStatus = 'closed'
  private currentDetail: string | undefined

  constructor(private readonly opts: SharedSignalingOptions) {}

  get status(): SignalingStatus {
    return this.currentStatus
  }

  /** Why the socket closed or was refused (a close reason), if it did. */
  get detail(): string | undefined {
    return this.currentDetail
  }

  /** True between connect() and disconnect(), whatever the socket is doing meanwhile. */
  get connected(): boolean {
    return this.client !== undefined
  }

  /** The topics this page is subscribed to (diagnostics and tests). */
  get topics(): string[] {
    return [...this.subscribers.keys()]
  }

  /** Opens the socket (it reconnects by itself until disconnect) and replays every topic. */
  connect(): void {
    if (this.client) return
    const generation = ++this.generation
    const current = () => generation === this.generation
    const client: SignalingClient = new SignalingClient({
      url: this.opts.url,
      answerChallenge: this.opts.answerChallenge,
      WebSocketImpl: this.opts.WebSocketImpl,
      onMessage: (m) => current() && this.route(m, client),
      onStatus: (s, d) => current() && this.setStatus(s, d),
      onOpen: () => {
        // Copy first: a listener may open or close ports while it starts.
        if (current()) { for (const l of [...this.listeners]) l.open?.() }
      },
    })
    // Recorded now, sent in one frame once admitted (and after every reconnect).
    for (const topic of this.subscribers.keys()) client.subscribe(topic)
    this.client = client
  }

  /** Closes the socket for good (offline); ports and their topics stay for the next connect. */
  disconnect(): void {
    if (!this.client) return
    this.generation++
    this.client.close()
    this.client = undefined
    this.setStatus('closed')
  }

  /** Hears every status change of the socket; returns the way to stop. */
  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /** A port for `listener`: its subscriptions are its own; a topic stays while any port holds it. */
  port(listener: TopicListener): TopicPort {
    const mine = new Set<string>()
    let closed = false
    this.listeners.add(listener)
    const port: TopicPort = {
      subscribe: (topic) => {
        if (closed || mine.has(topic)) return
        mine.add(topic)
        let set = this.subscribers.get(topic)
        if (!set) {
          set = new Set()
          this.subscribers.set(topic, set)
          this.client?.subscribe(topic)
        }
        set.add(listener)
      },
      unsubscribe: (topic) => {
        if (!mine.delete(topic)) return
        const set = this.subscribers.get(topic)
        set?.delete(listener)
        if (set?.size === 0) {
          this.subscribers.delete(topic)
          this.client?.unsubscribe(topic)
        }
      },
      publish: (topic, data) => {
        if (!closed) this.client?.publish(topic, data)
      },
      close: () => {
        for (const topic of [...mine]) port.unsubscribe(topic)
        closed = true
        this.listeners.delete(listener)
      },
    }
    return port
  }

  private route(message: SignalingMessage, client: SignalingClient): void {
    if (message.type !== 'publish') return this.opts.onWorkerMessage(message, client)
    if (typeof message.topic !== 'string') return
    const set = this.subscribers.get(message.topic)
    if (set) { for (const l of [...set]) l.message(message) }
  }

  private setStatus(status: SignalingStatus, detail?: string): void {
    this.currentStatus = status
    this.currentDetail = detail
    for (const l of [...this.statusListeners]) l(status, detail)
  }
}
