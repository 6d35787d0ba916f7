// WebSocket client for the signaling worker (y-webrtc protocol: subscribe, unsubscribe, publish,
// ping/pong), reconnecting with capped exponential backoff when the link drops.

/**
 * connecting: socket opening; authenticating: answering the admission challenge; open: admitted
 * (or the worker is in open mode); closed: dropped, retrying; refused: the worker refused this
 * device for good (revoked, another org, untrusted) and retrying would not help.
 */
export type SignalingStatus = 'connecting' | 'authenticating' | 'open' | 'closed' | 'refused'

/** Close reasons after which reconnecting cannot succeed (docs/protocol/signaling.md). */
const TERMINAL_REASONS = new Set(['revoked', 'foreign-org', 'untrusted', 'bad-credential'])

export interface SignalingMessage {
  type: string
  [key: string]: unknown
}

/** Joining a topic and publishing on it: what a WebrtcMesh needs from signaling. */
export interface TopicSignaling {
  subscribe(topic: string): void
  publish(topic: string, data: Record<string, unknown>): void
}

export interface SignalingClientOptions {
  url: string
  /** Called for every message; admission (challenge/auth) is handled by the caller. */
  onMessage(message: SignalingMessage): void
  onStatus?(status: SignalingStatus, detail?: string): void
  /** Called on every (re)connect, once admitted, after the subscriptions were replayed. */
  onOpen?(): void
  /** The worker's welcome (it names the limits), before the subscriptions are replayed. */
  onWelcome?(welcome: SignalingMessage): void
  /**
   * Answers the worker's admission challenge. Without it the client expects an open-mode worker
   * and is ready as soon as the socket opens.
   */
  answerChallenge?(challenge: unknown): SignalingMessage
  WebSocketImpl?: typeof WebSocket
}

const PING_INTERVAL_MS = 20_000
const MAX_BACKOFF_MS = 30_000

export class SignalingClient implements TopicSignaling {
  private ws: WebSocket | undefined
  private readonly topics = new Set<string>()
  private backoff = 500
  private closed = false
  private pingTimer: ReturnType<typeof setInterval> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  status: SignalingStatus = 'connecting'

  constructor(private readonly opts: SignalingClientOptions) {
    this.connect()
  }

  subscribe(topic: string): void {
    this.topics.add(topic)
    this.send({ type: 'subscribe', topics: [topic] })
  }

  unsubscribe(topic: string): void {
    this.topics.delete(topic)
    this.send({ type: 'unsubscribe', topics: [topic] })
  }

  publish(topic: string, data: Record<string, unknown>): void {
    this.send({ type: 'publish', topic, data })
  }

  /** Sends only once admitted; y-webrtc semantics: signaling is best effort, peers re-announce. */
  send(message: SignalingMessage): boolean {
    if (this.ws?.readyState !== 1 || this.status !== 'open') return false
    this.ws.send(JSON.stringify(message))
    return true
  }

  /** For good: no reconnect follows, not even one already waiting out its backoff. */
  close(): void {
    this.closed = true
    clearInterval(this.pingTimer)
    clearTimeout(this.retryTimer)
    this.ws?.close()
  }

  private setStatus(status: SignalingStatus, detail?: string): void {
    this.status = status
    this.opts.onStatus?.(status, detail)
  }

  private ready(): void {
    this.backoff = 500
    this.setStatus('open')
    // Subscriptions first, in one frame: whoever onOpen announces to must be able to answer.
    if (this.topics.size) this.send({ type: 'subscribe', topics: [...this.topics] })
    this.opts.onOpen?.()
    clearInterval(this.pingTimer)
    this.pingTimer = setInterval(() => this.send({ type: 'ping' }), PING_INTERVAL_MS)
  }

  private connect(): void {
    if (this.closed) return
    const Impl = this.opts.WebSocketImpl ?? WebSocket
    const ws = new Impl(this.opts.url)
    this.ws = ws
    this.setStatus('connecting')
    ws.onopen = () => {
      if (this.opts.answerChallenge) this.setStatus('authenticating')
      else this.ready()
    }
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return
      let message: unknown
      try {
        message = JSON.parse(event.data)
      } catch {
        return
      }
      if (typeof message !== 'object' || message === null) return
      const m = message as SignalingMessage
      if (typeof m.type !== 'string') return
      if (this.status === 'authenticating') {
        if (m.type === 'challenge' && this.opts.answerChallenge) {
          try {
            ws.send(JSON.stringify(this.opts.answerChallenge(m.challenge)))
          } catch {
            ws.close(4400, 'bad-challenge')
          }
        } else if (m.type === 'welcome') {
          this.opts.onWelcome?.(m)
          this.ready()
          this.opts.onMessage(m)
        }
        return
      }
      this.opts.onMessage(m)
    }
    ws.onclose = (event) => {
      clearInterval(this.pingTimer)
      if (TERMINAL_REASONS.has(event.reason)) {
        this.setStatus('refused', event.reason)
        return
      }
      this.setStatus('closed', event.reason || undefined)
      if (this.closed) return
      this.retryTimer = setTimeout(() => this.connect(), this.backoff)
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS)
    }
  }
}
