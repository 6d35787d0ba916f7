// Worker configuration, read only from environment variables (docs/OPERATIONS.md lists them).

export interface SignalingLimits {
  /** Largest text frame accepted from a client, in bytes; larger closes with frame-too-large. */
  maxFrameBytes: number
  maxTopicsPerConnection: number
  /** Token bucket: sustained frames per second per connection, and the burst it may save up. */
  messagesPerSecond: number
  burst: number
  /** A connection silent (no frame at all) for this long is closed with `idle`. */
  idleTimeoutMs: number
  /** Seconds between WebSocket protocol pings; a missing pong closes the socket (Deno). */
  pingIntervalSeconds: number
  /** Time a client has to answer the admission challenge. */
  authTimeoutMs: number
  /** A subscriber whose unsent backlog exceeds this is dropped (slow consumer). */
  maxBufferedBytes: number
  maxOrgLogBodyBytes: number
}

export interface SignalingConfig {
  port: number
  dataDir: string
  orgRoot: string | undefined
  redisUrl: string | undefined
  /** CONCH_SIGNALING_OPEN=1: no admission, any topic string. Unsafe; for development only. */
  open: boolean
  staticDir: string
  /** CONCH_LEAN_WEBSOCKET=0 serves WebSockets with Deno's own implementation (Deno.serve only). */
  leanWebSocket: boolean
  limits: SignalingLimits
}

export const DEFAULT_LIMITS: SignalingLimits = {
  maxFrameBytes: 64 * 1024,
  maxTopicsPerConnection: 256,
  // One connection carries a whole page: every channel's announce and SDP exchange after a
  // reconnect (about channels × peers frames) must fit the burst.
  messagesPerSecond: 100,
  burst: 500,
  idleTimeoutMs: 120_000,
  pingIntervalSeconds: 30,
  authTimeoutMs: 10_000,
  maxBufferedBytes: 1024 * 1024,
  maxOrgLogBodyBytes: 4 * 1024 * 1024,
}

type Env = (name: string) => string | undefined

function positiveInt(env: Env, name: string, fallback: number): number {
  const text = env(name)
  if (text === undefined || text === '') return fallback
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`)
  return n
}

/** Reads the configuration; throws with the variable's name when one is malformed. */
export function readConfig(env: Env): SignalingConfig {
  const port = env('PORT')
  const portNumber = port === undefined || port === '' ? 8787 : Number(port)
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) {
    throw new Error('PORT must be an integer 0..65535')
  }
  return {
    port: portNumber,
    dataDir: env('CONCH_DATA') || '.conch',
    orgRoot: env('CONCH_ORG_ROOT') || undefined,
    redisUrl: env('REDIS_URL') || undefined,
    open: env('CONCH_SIGNALING_OPEN') === '1',
    staticDir: env('CONCH_STATIC_DIR') || 'client/dist',
    leanWebSocket: env('CONCH_LEAN_WEBSOCKET') !== '0',
    limits: {
      maxFrameBytes: positiveInt(env, 'CONCH_MAX_FRAME_BYTES', DEFAULT_LIMITS.maxFrameBytes),
      maxTopicsPerConnection: positiveInt(
        env,
        'CONCH_MAX_TOPICS',
        DEFAULT_LIMITS.maxTopicsPerConnection,
      ),
      messagesPerSecond: positiveInt(
        env,
        'CONCH_MESSAGES_PER_SECOND',
        DEFAULT_LIMITS.messagesPerSecond,
      ),
      burst: positiveInt(env, 'CONCH_MESSAGE_BURST', DEFAULT_LIMITS.burst),
      idleTimeoutMs: positiveInt(env, 'CONCH_IDLE_TIMEOUT_MS', DEFAULT_LIMITS.idleTimeoutMs),
      pingIntervalSeconds: DEFAULT_LIMITS.pingIntervalSeconds,
      authTimeoutMs: positiveInt(env, 'CONCH_AUTH_TIMEOUT_MS', DEFAULT_LIMITS.authTimeoutMs),
      maxBufferedBytes: positiveInt(
        env,
        'CONCH_MAX_BUFFERED_BYTES',
        DEFAULT_LIMITS.maxBufferedBytes,
      ),
      maxOrgLogBodyBytes: DEFAULT_LIMITS.maxOrgLogBodyBytes,
    },
  }
}
