// A server-side WebSocket over a raw Deno.Conn: one small reused read buffer, an explicit send
// queue (its size is `bufferedAmount`), no per-socket timers. Holds idle connections cheaply.

import {
  encodeCloseFrame,
  encodeFrame,
  encodeTextFrame,
  FrameError,
  FrameParser,
  OPCODE_PONG,
} from './websocket-frames.ts'

/**
 * Each connection owns one small buffer, reused by every read (an idle connection always has a
 * read pending, so it holds exactly this much; a ping or a subscribe fits in it). A read that
 * fills it is followed by one into the process's spare large buffer, lent to one read at a time.
 */
const SMALL_READ = 128
const LARGE_READ = 16 * 1024
let spareLarge: Uint8Array | undefined

function borrowLarge(): Uint8Array {
  const buffer = spareLarge ?? new Uint8Array(LARGE_READ)
  spareLarge = undefined
  return buffer
}

function giveBack(buffer: Uint8Array): void {
  if (buffer.length === LARGE_READ) spareLarge = buffer
}

/** How long a socket we closed waits for the peer's close frame. */
const CLOSE_LINGER_MS = 2000

export interface LeanSocketEvents {
  onmessage(data: string | Uint8Array): void
  /** Too large or malformed input: the owner decides how to close. */
  onerror(kind: 'too-large' | 'protocol' | 'bad-utf8'): void
  onclose(): void
}

export class LeanWebSocket {
  /** Frames waiting to be written; allocated only while there are some. */
  private queue: Uint8Array[] | undefined
  private small: Uint8Array | undefined
  private queued = 0
  private flushing = false
  private closing = false
  private closed = false
  /** After a framing error the input is only drained (so the close frame is not lost to RST). */
  private draining = false
  private peerClosed = false
  private lingerTimer: ReturnType<typeof setTimeout> | undefined
  private readonly parser: FrameParser
  events: LeanSocketEvents | undefined

  constructor(private readonly conn: Deno.Conn, maxMessageBytes: number, leftover?: Uint8Array) {
    this.parser = new FrameParser(maxMessageBytes)
    // Reading starts once the owner has had the chance to set `events`.
    queueMicrotask(() => {
      if (leftover?.length && !this.consume(leftover)) return this.shutdown()
      this.read(SMALL_READ)
    })
  }

  /** Bytes accepted by `send` and not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.queued
  }

  send(text: string): void {
    if (this.closing || this.closed) throw new Error('socket is closing')
    this.enqueue(encodeTextFrame(text))
  }

  /** Sends a close frame, then closes the TCP connection once it is written. */
  close(code = 1000, reason = ''): void {
    if (this.closing || this.closed) return
    this.closing = true
    this.enqueue(encodeCloseFrame(code, reason))
  }

  private enqueue(frame: Uint8Array): void {
    ;(this.queue ??= []).push(frame)
    this.queued += frame.length
    if (!this.flushing) this.flush()
  }

  private async flush(): Promise<void> {
    this.flushing = true
    try {
      while (this.queue) {
        const batch = this.queue
        this.queue = undefined
        let bytes: Uint8Array
        if (batch.length === 1) bytes = batch[0]
        else {
          let size = 0
          for (const b of batch) size += b.length
          bytes = new Uint8Array(size)
          let at = 0
          for (const b of batch) {
            bytes.set(b, at)
            at += b.length
          }
        }
        let written = 0
        while (written < bytes.length) written += await this.conn.write(bytes.subarray(written))
        this.queued -= bytes.length
      }
    } catch {
      this.queue = undefined
      this.queued = 0
      this.shutdown()
      return
    } finally {
      this.flushing = false
    }
    // Our close frame is out: give the peer a moment to answer with its own, reading (and
    // discarding) its input meanwhile; closing at once could reset the connection before the
    // peer reads the close frame.
    if (this.closing && this.peerClosed) return this.shutdown()
    if (this.closing && !this.closed && this.lingerTimer === undefined && !this.queue) {
      this.lingerTimer = setTimeout(() => this.shutdown(), CLOSE_LINGER_MS)
    }
  }

  /** One read; the next is issued when it completes (no async loop held per socket). */
  private read(size: number): void {
    if (this.closed) return
    const buffer = size === SMALL_READ ? (this.small ??= new Uint8Array(SMALL_READ)) : borrowLarge()
    this.conn.read(buffer).then(
      (n) => this.received(buffer, n),
      () => {
        // connection reset or closed under us
        giveBack(buffer)
        this.shutdown()
      },
    )
  }

  private received(buffer: Uint8Array, n: number | null): void {
    const ok = n !== null && this.consume(buffer.subarray(0, n))
    giveBack(buffer) // the parser keeps no reference to it
    if (!ok) return this.shutdown()
    this.read(n === buffer.length ? LARGE_READ : SMALL_READ)
  }

  /** Handles incoming bytes; false if the socket must be shut down. */
  private consume(bytes: Uint8Array): boolean {
    try {
      this.handle(bytes)
      return true
    } catch (e) {
      if (!(e instanceof FrameError)) return false
      // From now on the input is only drained; the owner decides how to close.
      this.draining = true
      this.events?.onerror(e.kind)
      return true
    }
  }

  private handle(bytes: Uint8Array): void {
    if (this.draining) return
    for (const event of this.parser.push(bytes)) {
      if (this.closing) {
        // Waiting for the peer's close frame; everything else is ignored.
        if (event.type === 'close') return this.shutdown()
        continue
      }
      switch (event.type) {
        case 'text':
          this.events?.onmessage(event.text)
          break
        case 'binary':
          this.events?.onmessage(event.payload)
          break
        case 'ping':
          this.enqueue(encodeFrame(OPCODE_PONG, event.payload))
          break
        case 'pong':
          break
        case 'close':
          // Echo the code (RFC 6455 §5.5.1), then close the TCP connection.
          this.peerClosed = true
          this.close(validCloseCode(event.code) ? event.code : 1000)
          return
      }
      if (this.closing || this.closed) return
    }
  }

  /** Closes the TCP connection (idempotent) and reports it once. */
  private shutdown(): void {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.lingerTimer)
    try {
      this.conn.close()
    } catch {
      // already closed
    }
    this.events?.onclose()
  }
}

/** Codes a peer may send in a close frame (RFC 6455 §7.4.1–7.4.2). */
function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999)
}
