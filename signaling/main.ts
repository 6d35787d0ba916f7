// Entry point: reads the environment, opens storage and Redis, serves HTTP and WebSockets.
// Run: node scripts/deno.mjs run --allow-net --allow-read --allow-write --allow-env --unstable-kv signaling/main.ts

import { readConfig } from './src/config.ts'
import { serveWorker } from './src/serve-worker.ts'
import { openServices } from './src/services.ts'
import { createWorker } from './src/worker.ts'

const config = readConfig((name) => Deno.env.get(name))
const services = await openServices(config)
const worker = createWorker({ config, ...services })
if (config.open) console.warn('CONCH_SIGNALING_OPEN=1: admission is off (development only)')

const served = serveWorker(worker, {
  hostname: '0.0.0.0',
  port: config.port,
  lean: config.leanWebSocket,
  maxMessageBytes: config.limits.maxFrameBytes,
})
console.log(`signaling listening on http://localhost:${served.port}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, () => {
    worker.close()
    // Exit even if a client keeps its connection open past the grace period.
    setTimeout(() => Deno.exit(0), 2000)
    served.shutdown().finally(() => {
      services.close()
      Deno.exit(0)
    })
  })
}
