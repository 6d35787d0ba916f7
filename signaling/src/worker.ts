// The worker: HTTP routes, WebSocket upgrade, live connections, org log push and revocation.

import { isConchError } from '../../crypto/errors/conch-error.ts'
import type { AdmissionGate, OrgLogService } from './admission-gate.ts'
import type { SignalingConfig } from './config.ts'
import { SignalingMetrics } from './metrics.ts'
import { serveOrgLog } from './org-log-routes.ts'
import { SignalingConnection, type SocketLike } from './signaling-connection.ts'
import { serveStatic } from './static-files.ts'
import { type TopicBus, TopicHub } from './topic-hub.ts'
import type { LeanWebSocket } from './websocket/lean-websocket.ts'

export interface WorkerDeps {
  config: SignalingConfig
  gate?: AdmissionGate
  orgLog?: OrgLogService
  bus?: TopicBus
  now?: () => number
  random?: (n: number) => Uint8Array
}

export interface SignalingWorker {
  handler(request: Request): Promise<Response>
  /** Takes over a WebSocket the front door upgraded. */
  adopt(socket: LeanWebSocket): void
  readonly hub: TopicHub
  readonly metrics: SignalingMetrics
  readonly connections: ReadonlySet<SignalingConnection>
  /** Runs the periodic checks (timeouts, expiry) now; the worker also does it every second. */
  tick(): void
  close(): void
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
}

export function createWorker(deps: WorkerDeps): SignalingWorker {
  const { config } = deps
  if (!config.open && (!deps.gate || !deps.orgLog)) {
    throw new Error(
      'admission needs CONCH_ORG_ROOT (or set CONCH_SIGNALING_OPEN=1 for development)',
    )
  }
  const now = deps.now ?? Date.now
  const random = deps.random ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)))
  const metrics = new SignalingMetrics()
  const hub = new TopicHub(deps.bus)
  const connections = new Set<SignalingConnection>()
  const context = {
    open: config.open,
    limits: config.limits,
    hub,
    metrics,
    now,
    random,
    gate: deps.gate,
    orgLog: deps.orgLog,
    forget(c: SignalingConnection) {
      if (connections.delete(c)) metrics.connectionsClosed++
    },
  }

  deps.orgLog?.onChange((accepted, heads) => {
    const at = now()
    for (const c of [...connections]) {
      c.recheck(at)
      if (!c.closed && c.admitted && c.wantsOrgLog) c.pushOrgLog(accepted, heads)
    }
  })

  const tick = () => {
    const at = now()
    // Once a second over every connection, so it must not allocate per connection: forEach (a
    // for-of over the Set allocates an iterator result per element until V8 optimises it). A Set
    // tolerates deletion while it is walked (a closing connection forgets itself): no copy.
    connections.forEach((c) => c.tick(at))
  }
  const ticker = setInterval(tick, 1000)

  function attach(socket: SocketLike): SignalingConnection {
    const connection = new SignalingConnection(socket, context)
    connections.add(connection)
    metrics.connectionsOpened++
    connection.start()
    return connection
  }

  /** Deno's own WebSocket (Deno.serve path, also what an edge runtime offers). */
  function upgrade(request: Request): Response {
    const { socket, response } = Deno.upgradeWebSocket(request, {
      idleTimeout: config.limits.pingIntervalSeconds,
    })
    let connection: SignalingConnection | undefined
    socket.onopen = () => (connection = attach(socket))
    socket.onmessage = (event) => connection?.onmessage(event.data)
    socket.onclose = () => connection?.end()
    socket.onerror = () => connection?.end()
    return response
  }

  /** A socket upgraded by the front door (LeanWebSocket). */
  function adopt(socket: LeanWebSocket): void {
    // The connection is the socket's event sink: no per-socket closures.
    socket.events = attach(socket)
  }

  async function handler(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (request.headers.get('upgrade')?.toLowerCase() === 'websocket') {
      try {
        return upgrade(request)
      } catch {
        return new Response('bad websocket upgrade\n', { status: 400 })
      }
    }
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS })
    switch (url.pathname) {
      case '/healthz':
        return new Response('ok\n', {
          headers: { 'content-type': 'text/plain; charset=utf-8', ...CORS },
        })
      case '/metrics':
        return new Response(
          metrics.render({
            connections: connections.size,
            topics: hub.topicCount,
            orgLogEntries: deps.orgLog?.size() ?? 0,
            memory: Deno.memoryUsage(),
          }),
          { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } },
        )
      case '/org/log':
        return withCors(await serveOrgLog(request, url, deps.orgLog, config, metrics))
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed\n', { status: 405 })
    }
    return await serveStatic(config.staticDir, url.pathname, request.method === 'HEAD')
  }

  return {
    handler: async (request) => {
      try {
        return await handler(request)
      } catch (e) {
        const status = isConchError(e) ? 400 : 500
        return new Response(status === 400 ? 'bad request\n' : 'internal error\n', { status })
      }
    },
    adopt,
    hub,
    metrics,
    connections,
    tick,
    close() {
      clearInterval(ticker)
      for (const c of [...connections]) c.refuse('shutdown')
    },
  }
}

function withCors(response: Response): Response {
  for (const [k, v] of Object.entries(CORS)) response.headers.set(k, v)
  return response
}
