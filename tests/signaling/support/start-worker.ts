// Starts a worker in-process on a free loopback port for a test; `stop()` closes everything.

import { DEFAULT_LIMITS, type SignalingConfig } from '../../../signaling/src/config.ts'
import { serveWorker } from '../../../signaling/src/serve-worker.ts'
import {
  createWorker,
  type SignalingWorker,
  type WorkerDeps,
} from '../../../signaling/src/worker.ts'

export interface RunningWorker {
  worker: SignalingWorker
  url: string
  wsUrl: string
  stop(): Promise<void>
}

export function testConfig(overrides: Partial<SignalingConfig> = {}): SignalingConfig {
  return {
    port: 0,
    dataDir: '.conch-test',
    orgRoot: undefined,
    redisUrl: undefined,
    open: true,
    staticDir: 'client/dist',
    leanWebSocket: Deno.env.get('CONCH_TEST_TRANSPORT') !== 'deno',
    ...overrides,
    limits: { ...DEFAULT_LIMITS, ...overrides.limits },
  }
}

/**
 * Serves a worker like main.ts does: through the front door (LeanWebSocket) unless the config
 * says `leanWebSocket: false` (Deno.serve + Deno's WebSocket, the edge-runtime path).
 */
export function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const worker = createWorker(deps)
  const served = serveWorker(worker, {
    hostname: '127.0.0.1',
    port: 0,
    lean: deps.config.leanWebSocket,
    maxMessageBytes: deps.config.limits.maxFrameBytes,
  })
  return Promise.resolve({
    worker,
    url: `http://127.0.0.1:${served.port}`,
    wsUrl: `ws://127.0.0.1:${served.port}`,
    async stop() {
      worker.close()
      await served.shutdown()
    },
  })
}
