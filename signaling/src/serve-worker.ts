// Puts a worker on a port: by default through the front door (LeanWebSocket for upgrades, an
// internal Deno.serve for HTTP); with `lean: false`, Deno.serve and Deno's WebSocket alone.

import type { SignalingWorker } from './worker.ts'
import { openFrontDoor } from './websocket/front-door.ts'

export interface ServeOptions {
  hostname: string
  port: number
  /** Default true. false = plain Deno.serve (what an edge runtime offers). */
  lean: boolean
  maxMessageBytes: number
}

export interface ServedWorker {
  port: number
  shutdown(): Promise<void>
}

function serve(
  hostname: string,
  port: number,
  handler: (r: Request) => Promise<Response>,
): { port: number; server: Deno.HttpServer<Deno.NetAddr> } {
  const server = Deno.serve({ hostname, port, onListen: () => {} }, handler)
  return { port: server.addr.port, server }
}

export function serveWorker(
  worker: SignalingWorker,
  options: ServeOptions,
): ServedWorker {
  if (!options.lean) {
    const { port, server } = serve(options.hostname, options.port, worker.handler)
    return { port, shutdown: () => server.shutdown() }
  }
  const inner = serve('127.0.0.1', 0, worker.handler)
  const door = openFrontDoor({
    hostname: options.hostname,
    port: options.port,
    innerPort: inner.port,
    maxMessageBytes: options.maxMessageBytes,
    adopt: (socket) => worker.adopt(socket),
  })
  return {
    port: door.port,
    async shutdown() {
      door.close()
      await inner.server.shutdown()
    },
  }
}
