// A stand-in for the browser WebSocket, for unit tests of the signaling client and what shares
// it: the test plays the worker (opens, challenges, welcomes, relays, drops) and reads what the
// page sent. Close events arrive on a timer, as a real socket's do.

export type Frame = { type: string; [key: string]: unknown }

export class FakeSignalingSocket {
  /** Every socket the page made, oldest first. */
  static made: FakeSignalingSocket[] = []
  /** What this socket sent, in order. */
  readonly sent: Frame[] = []
  readyState = 0
  onopen: (() => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null

  constructor(readonly url: string) {
    FakeSignalingSocket.made.push(this)
  }

  static reset(): void {
    FakeSignalingSocket.made = []
  }

  /** The newest socket. */
  static get last(): FakeSignalingSocket {
    return FakeSignalingSocket.made[FakeSignalingSocket.made.length - 1]
  }

  /** How many sockets are not closed. */
  static get open(): number {
    return FakeSignalingSocket.made.filter((s) => s.readyState < 2).length
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open')
    this.sent.push(JSON.parse(data))
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return
    this.readyState = 2
    setTimeout(() => this.closed(code, reason), 0)
  }

  // The worker's side.

  accept(): void {
    this.readyState = 1
    this.onopen?.()
  }

  receive(message: Frame): void {
    this.onmessage?.({ data: JSON.stringify(message) })
  }

  /** Opens, challenges, checks the answer is an auth frame, and welcomes. */
  admit(): void {
    this.accept()
    this.receive({ type: 'challenge', challenge: 'c2hhbGxlbmdl' })
    if (this.sent[this.sent.length - 1]?.type !== 'auth') throw new Error('no admission answer')
    this.receive({ type: 'welcome' })
  }

  /** The worker relays a publish on `topic`, as it does to every subscriber. */
  relay(topic: string, data: Record<string, unknown>): void {
    this.receive({ type: 'publish', topic, data, clients: 2 })
  }

  /** The link dies under the page (not a close the page asked for). */
  drop(reason = ''): void {
    this.readyState = 3
    this.closed(1006, reason)
  }

  /** Topics named by `type` frames this socket sent, in order. */
  topics(type: 'subscribe' | 'unsubscribe'): string[] {
    return this.sent.filter((f) => f.type === type).flatMap((f) => f.topics as string[])
  }

  /** Announces this socket published, by topic. */
  announces(): string[] {
    return this.sent
      .filter((f) => f.type === 'publish' && (f.data as Frame).type === 'announce')
      .map((f) => f.topic as string)
  }

  private closed(code: number, reason: string): void {
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}

/** The constructor the client expects. */
export const fakeWebSocket = FakeSignalingSocket as unknown as typeof WebSocket

/** A worker-style answer to the admission challenge (the fake worker checks only its type). */
export const answerChallenge = (challenge: unknown) => ({ type: 'auth', challenge })
