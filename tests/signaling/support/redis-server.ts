// Starts a throwaway redis-server (the Debian package) on a free loopback port for one test.

import { freePort } from './worker-process.ts'

export interface RedisServer {
  url: string
  stop(): Promise<void>
}

export const REDIS_SERVER = '/usr/bin/redis-server'

export async function startRedis(): Promise<RedisServer> {
  const port = freePort()
  const child = new Deno.Command(REDIS_SERVER, {
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    stdout: 'piped',
    stderr: 'piped',
  }).spawn()
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader()
  let out = ''
  while (!out.includes('Ready to accept connections')) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`redis-server exited:\n${out}`)
    out += value
  }
  ;(async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })()
  child.stderr.pipeTo(new WritableStream())
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM')
      await child.status
    },
  }
}
