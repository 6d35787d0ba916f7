// Runs signaling/main.ts as a real subprocess (the way operators start it) on a free port.

const MAIN = new URL('../../../signaling/main.ts', import.meta.url).pathname

export function freePort(): number {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 })
  const port = (listener.addr as Deno.NetAddr).port
  listener.close()
  return port
}

export interface WorkerProcess {
  url: string
  wsUrl: string
  /** SIGTERM, then wait for exit. */
  stop(): Promise<void>
}

export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const port = freePort()
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      'run',
      '--allow-net',
      '--allow-read',
      '--allow-write',
      '--allow-env',
      '--unstable-kv',
      MAIN,
    ],
    env: { ...env, PORT: String(port) },
    stdout: 'piped',
    stderr: 'piped',
  }).spawn()
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader()
  let out = ''
  const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000)
  while (!out.includes('signaling listening on')) {
    const { value, done } = await reader.read()
    if (done) {
      clearTimeout(deadline)
      const err = await new Response(child.stderr).text()
      throw new Error(`worker exited before listening:\n${out}\n${err}`)
    }
    out += value
  }
  clearTimeout(deadline) // Keep draining so the child never blocks on a full pipe.
  ;(async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })()
  child.stderr.pipeTo(new WritableStream())
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    async stop() {
      try {
        child.kill('SIGTERM')
      } catch {
        // already gone
      }
      await child.status
    },
  }
}
