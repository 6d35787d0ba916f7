// Entry point: reads the environment, opens storage and Redis, serves HTTP and WebSockets.
// Run: node scripts/deno.mjs run --allow-net --allow-read --allow-write --allow-env --unstable-kv signaling/main.ts

import { readConfig } from './src/config.ts'
import { createWorker } from './src/worker.ts'

const config = readConfig((name) => Deno.env.get(name))

if (!config.open) {
  console.error('admission mode is not wired yet: set CONCH_SIGNALING_OPEN=1')
  Deno.exit(1)
}

const worker = createWorker({ config })

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
    server.shutdown().finally(() => Deno.exit(0))
  })
}
