// One signaling socket for the whole page: every user (each channel's mesh, the DM doorbells)
// subscribes its topics through a port on it, `publish` messages reach the ports of their topic,
// and after every reconnect the subscriptions are replayed before each port hears `open`. The
// worker allows a connection `maxTopics` topics (docs/protocol/signaling.md §2): past it, spare
// topics (doorbells) yield to channels, so a large org cannot push a channel off the socket.

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

/** The worker's default topic limit, used until its welcome says otherwise. */
export const DEFAULT_MAX_TOPICS = 256

export interface PortOptions {
  /** Its topics are dropped first when the socket's topic limit is reached (DM doorbells). */
  spare?: boolean
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
  /** Who wants each topic; a topic is on the socket only while it fits the limit. */
  private readonly subscribers = new Map<string, Set<TopicListener>>()
  private readonly onSocket = new Set<string>()
  private readonly listeners = new Set<TopicListener>()
  private readonly spare = new Set<TopicListener>()
  private maxTopics = DEFAULT_MAX_TOPICS
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

  /** The topics this page is subscribed to on the socket (diagnostics and tests). */
  get topics(): string[] {
    return [...this.onSocket]
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
      onWelcome: (m) => current() && this.learnLimits(m),
      onStatus: (s, d) => current() && this.setStatus(s, d),
      onOpen: () => {
        // Copy first: a listener may open or close ports while it starts.
        if (current()) { for (const l of [...this.listeners]) l.open?.() }
      },
    })
    // Recorded now, sent in one frame once admitted (and after every reconnect).
    for (const topic of this.onSocket) client.subscribe(topic)
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
  port(listener: TopicListener, options: PortOptions = {}): TopicPort {
    const mine = new Set<string>()
    let closed = false
    this.listeners.add(listener)
    if (options.spare) this.spare.add(listener)
    const port: TopicPort = {
      subscribe: (topic) => {
        if (closed || mine.has(topic)) return
        mine.add(topic)
        let set = this.subscribers.get(topic)
        if (!set) this.subscribers.set(topic, set = new Set())
        set.add(listener)
        this.fit()
      },
      unsubscribe: (topic) => {
        if (!mine.delete(topic)) return
        const set = this.subscribers.get(topic)
        set?.delete(listener)
        if (set?.size === 0) this.subscribers.delete(topic)
        this.fit()
      },
      publish: (topic, data) => {
        if (!closed) this.client?.publish(topic, data)
      },
      close: () => {
        for (const topic of [...mine]) port.unsubscribe(topic)
        closed = true
        this.listeners.delete(listener)
        this.spare.delete(listener)
      },
    }
    return port
  }

  /**
   * Puts on the socket the topics that fit: every topic someone other than a spare port wants
   * first, then spare ones, in subscription order. Unsubscribes go out before subscribes, so the
   * worker never counts more than the limit.
   */
  private fit(): void {
    const wanted: string[] = []
    const spare: string[] = []
    for (const [topic, set] of this.subscribers) {
      let essential = false
      for (const l of set) if (!this.spare.has(l)) essential = true
      ;(essential ? wanted : spare).push(topic)
    }
    const fits = new Set([...wanted, ...spare].slice(0, this.maxTopics))
    for (const topic of [...this.onSocket]) {
      if (fits.has(topic)) continue
      this.onSocket.delete(topic)
      this.client?.unsubscribe(topic)
    }
    for (const topic of fits) {
      if (this.onSocket.has(topic)) continue
      this.onSocket.add(topic)
      this.client?.subscribe(topic)
    }
  }

  private route(message: SignalingMessage, client: SignalingClient): void {
    if (message.type !== 'publish') return this.opts.onWorkerMessage(message, client)
    if (typeof message.topic !== 'string') return
    const set = this.subscribers.get(message.topic)
    if (set) { for (const l of [...set]) l.message(message) }
  }

  /** The worker's welcome names its topic limit (docs/protocol/signaling.md §1). */
  private learnLimits(welcome: SignalingMessage): void {
    const limits = welcome.limits as { maxTopics?: unknown } | undefined
    const max = limits?.maxTopics
    if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 1) return
    if (max === this.maxTopics) return
    this.maxTopics = max
    this.fit()
  }

  private setStatus(status: SignalingStatus, detail?: string): void {
    this.currentStatus = status
    this.currentDetail = detail
    for (const l of [...this.statusListeners]) l(status, detail)
  }
}
