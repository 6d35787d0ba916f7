// WebSocket client for the signaling worker (y-webrtc protocol: subscribe, unsubscribe, publish,
// ping/pong), reconnecting with capped exponential backoff when the link drops.

export type SignalingStatus = 'connecting' | 'open' | 'closed'

export interface SignalingMessage {
  type: string
  [key: string]: unknown
}

export interface SignalingClientOptions {
  url: string
  /** Called for every message; admission (challenge/auth) is handled by the caller. */
  onMessage(message: SignalingMessage): void
  onStatus?(status: SignalingStatus, detail?: string): void
  /** Called on every (re)connect before subscriptions are replayed. */
  onOpen?(): void
  WebSocketImpl?: typeof WebSocket
}

const PING_INTERVAL_MS = 20_000
const MAX_BACKOFF_MS = 30_000

export class SignalingClient {
  private ws: WebSocket | undefined
  private readonly topics = new Set<string>()
  private backoff = 500
  private closed = false
  private pingTimer: ReturnType<typeof setInterval> | undefined
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

  /** Sends only while open; y-webrtc semantics: signaling is best effort, peers re-announce. */
  send(message: SignalingMessage): boolean {
    if (this.ws?.readyState !== 1) return false
    this.ws.send(JSON.stringify(message))
    return true
  }

  close(): void {
    this.closed = true
    clearInterval(this.pingTimer)
    this.ws?.close()
  }

  private setStatus(status: SignalingStatus, detail?: string): void {
    this.status = status
    this.opts.onStatus?.(status, detail)
  }

  private connect(): void {
    const Impl = this.opts.WebSocketImpl ?? WebSocket
    const ws = new Impl(this.opts.url)
    this.ws = ws
    this.setStatus('connecting')
    ws.onopen = () => {
      this.backoff = 500
      this.setStatus('open')
      this.opts.onOpen?.()
      if (this.topics.size) this.send({ type: 'subscribe', topics: [...this.topics] })
      clearInterval(this.pingTimer)
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), PING_INTERVAL_MS)
    }
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return
      let message: unknown
      try {
        message = JSON.parse(event.data)
      } catch {
        return
      }
      if (
        typeof message === 'object' && message !== null &&
        typeof (message as SignalingMessage).type === 'string'
      ) {
        this.opts.onMessage(message as SignalingMessage)
      }
    }
    ws.onclose = (event) => {
      clearInterval(this.pingTimer)
      this.setStatus('closed', event.reason || undefined)
      if (this.closed) return
      setTimeout(() => this.connect(), this.backoff)
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS)
    }
  }
}
