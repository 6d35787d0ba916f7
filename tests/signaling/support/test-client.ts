// A WebSocket client for tests: queues incoming JSON messages and records how the socket closed.

export interface Closed {
  code: number
  reason: string
}

export class TestClient {
  private readonly queue: Record<string, unknown>[] = []
  private waiters: (() => void)[] = []
  readonly closed: Promise<Closed>

  private constructor(readonly socket: WebSocket) {
    socket.onmessage = (e) => {
      this.queue.push(JSON.parse(String(e.data)))
      this.wake()
    }
    this.closed = new Promise((resolve) => {
      socket.addEventListener('close', (e) => {
        resolve({ code: e.code, reason: e.reason })
        this.wake()
      })
    })
  }

  static connect(url: string): Promise<TestClient> {
    const socket = new WebSocket(url)
    return new Promise((resolve, reject) => {
      socket.onopen = () => resolve(new TestClient(socket))
      socket.onerror = () => reject(new Error(`cannot connect to ${url}`))
    })
  }

  private wake(): void {
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  /** Next message that matches `accept` (earlier non-matching ones are discarded). */
  async next(
    accept: (m: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs
    while (true) {
      while (this.queue.length) {
        const m = this.queue.shift()!
        if (accept(m)) return m
      }
      if (this.socket.readyState >= WebSocket.CLOSING) {
        throw new Error('socket closed while waiting for a message')
      }
      const left = deadline - Date.now()
      if (left <= 0) throw new Error('timed out waiting for a message')
      let timer: ReturnType<typeof setTimeout> | undefined
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve)
        timer = setTimeout(resolve, left)
      })
      clearTimeout(timer)
    }
  }

  /** Messages received so far and not yet consumed. */
  drain(): Record<string, unknown>[] {
    return this.queue.splice(0)
  }

  close(): Promise<Closed> {
    if (this.socket.readyState < WebSocket.CLOSING) this.socket.close()
    return this.closed
  }
}
