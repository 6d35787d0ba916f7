// A minimal Redis client over Deno.connect: pipelined commands, and pub/sub with resubscribe on
// reconnect. Enough for the topic bus (PUBLISH/SUBSCRIBE) and the shared org log (RPUSH/LRANGE).

import { encodeCommand, RespError, RespParser, type RespValue } from './resp-codec.ts'

export interface RedisAddress {
  hostname: string
  port: number
  password: string | undefined
  username: string | undefined
  db: number
}

/** `redis://[user[:password]@]host[:port][/db]`. */
export function parseRedisUrl(text: string): RedisAddress {
  const url = new URL(text)
  if (url.protocol !== 'redis:') throw new Error('REDIS_URL must start with redis://')
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0
  if (!Number.isInteger(db) || db < 0) throw new Error('REDIS_URL database must be an integer')
  return {
    hostname: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    db,
  }
}

type Pending = { resolve(v: RespValue): void; reject(e: Error): void }

/** One TCP connection. In subscriber mode, `onPush` gets every `message` push. */
export class RedisConnection {
  private conn: Deno.TcpConn | undefined
  private readonly pending: Pending[] = []
  private readonly parser = new RespParser()
  private closed = false
  private readonly channels = new Set<string>()
  private connecting: Promise<void> | undefined
  private outbox: Uint8Array[] = []
  private flushing = false
  onPush: (channel: string, payload: string) => void = () => {}

  constructor(private readonly address: RedisAddress, private readonly subscriber = false) {}

  /** Connects (and authenticates); later drops reconnect by themselves every second. */
  async connect(): Promise<void> {
    if (!this.connecting) this.connecting = this.open()
    await this.connecting
  }

  private async open(): Promise<void> {
    const conn = await Deno.connect({ hostname: this.address.hostname, port: this.address.port })
    conn.setNoDelay(true)
    this.conn = conn
    this.readLoop(conn)
    const { password, username, db } = this.address
    if (password) {
      await this.command(...(username ? ['AUTH', username, password] : ['AUTH', password]))
    }
    if (db && !this.subscriber) await this.command('SELECT', String(db))
    if (this.subscriber && this.channels.size) this.write(['SUBSCRIBE', ...this.channels])
  }

  private async readLoop(conn: Deno.TcpConn): Promise<void> {
    try {
      for await (const chunk of conn.readable) {
        this.parser.push(chunk)
        let value: RespValue | undefined
        while ((value = this.parser.next()) !== undefined) this.dispatch(value)
      }
    } catch {
      // connection reset: handled below
    }
    this.conn = undefined
    for (const p of this.pending.splice(0)) p.reject(new Error('redis connection lost'))
    if (this.closed) return
    this.connecting = undefined
    setTimeout(() => this.connect().catch(() => this.retryLater()), 1000)
  }

  private retryLater(): void {
    if (this.closed) return
    this.connecting = undefined
    setTimeout(() => this.connect().catch(() => this.retryLater()), 1000)
  }

  private dispatch(value: RespValue): void {
    if (this.subscriber && Array.isArray(value) && value[0] === 'message') {
      this.onPush(String(value[1]), String(value[2]))
      return
    }
    // subscribe/unsubscribe confirmations in subscriber mode have no waiting caller
    if (this.subscriber && Array.isArray(value) && typeof value[0] === 'string') {
      if (value[0] === 'subscribe' || value[0] === 'unsubscribe') return
    }
    const p = this.pending.shift()
    if (!p) return
    if (value instanceof RespError) p.reject(new Error(`redis: ${value.message}`))
    else p.resolve(value)
  }

  private write(args: string[]): boolean {
    const conn = this.conn
    if (!conn) return false
    this.outbox.push(encodeCommand(args))
    if (!this.flushing) this.flush(conn)
    return true
  }

  /** Writes queued commands in order, batching whatever queued up during the previous write. */
  private async flush(conn: Deno.TcpConn): Promise<void> {
    this.flushing = true
    try {
      while (this.outbox.length) {
        const batch = this.outbox
        this.outbox = []
        let size = 0
        for (const b of batch) size += b.length
        const bytes = new Uint8Array(size)
        let at = 0
        for (const b of batch) {
          bytes.set(b, at)
          at += b.length
        }
        let written = 0
        while (written < bytes.length) written += await conn.write(bytes.subarray(written))
      }
    } catch {
      this.outbox = [] // the read loop notices the broken connection and reconnects
    } finally {
      this.flushing = false
    }
  }

  /** Sends a command and waits for its reply. */
  command(...args: string[]): Promise<RespValue> {
    return new Promise((resolve, reject) => {
      if (!this.write(args)) return reject(new Error('redis not connected'))
      this.pending.push({ resolve, reject })
    })
  }

  /** Fire-and-forget command (PUBLISH): the reply is consumed and ignored. */
  send(...args: string[]): void {
    if (this.write(args)) this.pending.push({ resolve: () => {}, reject: () => {} })
  }

  subscribe(channel: string): void {
    if (this.channels.has(channel)) return
    this.channels.add(channel)
    this.write(['SUBSCRIBE', channel])
  }

  unsubscribe(channel: string): void {
    if (!this.channels.delete(channel)) return
    this.write(['UNSUBSCRIBE', channel])
  }

  close(): void {
    this.closed = true
    try {
      this.conn?.close()
    } catch {
      // already closed
    }
  }
}
