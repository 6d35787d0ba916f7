// Starts a worker in-process on a free loopback port for a test; `stop()` closes everything.

import { DEFAULT_LIMITS, type SignalingConfig } from '../../../signaling/src/config.ts'
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
    ...overrides,
    limits: { ...DEFAULT_LIMITS, ...overrides.limits },
  }
}

export function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const worker = createWorker(deps)
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: '127.0.0.1',
      port: 0,
      onListen({ port }) {
        resolve({
          worker,
          url: `http://127.0.0.1:${port}`,
          wsUrl: `ws://127.0.0.1:${port}`,
          async stop() {
            worker.close()
            await server.shutdown()
          },
        })
      },
    }, worker.handler)
  })
}
