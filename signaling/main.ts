// Entry point: reads the environment, opens storage and Redis, serves HTTP and WebSockets.
// Run: node scripts/deno.mjs run --allow-net --allow-read --allow-write --allow-env --unstable-kv signaling/main.ts

import { readConfig } from './src/config.ts'
import { openServices } from './src/services.ts'
import { createWorker } from './src/worker.ts'

const config = readConfig((name) => Deno.env.get(name))
const services = await openServices(config)
const worker = createWorker({ config, ...services })
if (config.open) console.warn('CONCH_SIGNALING_OPEN=1: admission is off (development only)')

const server = Deno.serve({
  port: config.port,
  onListen({ port }) {
    console.log(`signaling listening on http://localhost:${port}`)
  },
}, worker.handler)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, () => {
    worker.close()
    // Exit even if a client keeps its connection open past the grace period.
    setTimeout(() => Deno.exit(0), 2000)
    server.shutdown().finally(() => {
      services.close()
      Deno.exit(0)
    })
  })
}
