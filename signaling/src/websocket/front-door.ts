// The one-box listener: WebSocket upgrades are served by LeanWebSocket directly; every other
// connection is spliced through to an internal Deno.serve (static files, /org/log, metrics).

import { handshakeResponse, isWebSocketUpgrade, parseRequestHead } from './http-head.ts'
import { LeanWebSocket } from './lean-websocket.ts'

export interface FrontDoorOptions {
  hostname: string
  port: number
  /** Where non-WebSocket traffic goes: an internal Deno.serve on loopback. */
  innerPort: number
  maxMessageBytes: number
  /** Receives each upgraded socket. */
  adopt(socket: LeanWebSocket): void
  onListen?(port: number): void
}

const HEAD_TIMEOUT_MS = 10_000
const HEAD_READ = 1024

export interface FrontDoor {
  port: number
  close(): void
}

export function openFrontDoor(options: FrontDoorOptions): FrontDoor {
  const listener = Deno.listen({ hostname: options.hostname, port: options.port })
  const port = (listener.addr as Deno.NetAddr).port
  const open = new Set<Deno.Conn>()
  ;(async () => {
    try {
      for await (const conn of listener) {
        open.add(conn)
        route(conn, options).catch(() => {
          try {
            conn.close()
          } catch {
            // already closed
          }
        }).finally(() => open.delete(conn))
      }
    } catch {
      // listener closed
    }
  })()
  options.onListen?.(port)
  return {
    port,
    close() {
      try {
        listener.close()
      } catch {
        // already closed
      }
      for (const c of open) {
        try {
          c.close()
        } catch {
          // already closed
        }
      }
    },
  }
}

/** Reads the request head, then either upgrades or splices through to the inner server. */
async function route(conn: Deno.Conn, options: FrontDoorOptions): Promise<void> {
  let bytes = new Uint8Array(0)
  const timer = setTimeout(() => conn.close(), HEAD_TIMEOUT_MS)
  let head
  try {
    while ((head = parseRequestHead(bytes)) === undefined) {
      // Most upgrade requests fit the first, small read; a longer head grows the next one.
      const chunk = new Uint8Array(bytes.length ? HEAD_READ * 4 : HEAD_READ)
      const n = await conn.read(chunk)
      if (n === null) return conn.close()
      if (!bytes.length) {
        bytes = chunk.subarray(0, n)
        continue
      }
      const merged = new Uint8Array(bytes.length + n)
      merged.set(bytes)
      merged.set(chunk.subarray(0, n), bytes.length)
      bytes = merged
    }
  } finally {
    clearTimeout(timer)
  }
  if (head && isWebSocketUpgrade(head)) {
    let written = 0
    const response = handshakeResponse(head.headers.get('sec-websocket-key')!)
    while (written < response.length) written += await conn.write(response.subarray(written))
    const socket = new LeanWebSocket(conn, options.maxMessageBytes, bytes.subarray(head.length))
    options.adopt(socket)
    return
  }
  // Not an upgrade (or unparseable: the inner server answers 400): splice both directions.
  const inner = await Deno.connect({ hostname: '127.0.0.1', port: options.innerPort })
  let written = 0
  while (written < bytes.length) written += await inner.write(bytes.subarray(written))
  await Promise.allSettled([
    conn.readable.pipeTo(inner.writable),
    inner.readable.pipeTo(conn.writable),
  ])
}
