// Runs the real Deno signaling worker (signaling/main.ts) as a subprocess on a free loopback
// port, with admission on (the org's anchor, its log posted) or in open mode.

import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatOrgAnchor } from '../../../../crypto/membership/org-anchor.ts'
import type { TestOrg } from './test-org.ts'

export interface SignalingProcess {
  url: string
  wsUrl: string
  stop(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** With `org`, admission is on and the org log is posted before this resolves. */
export async function startSignalingProcess(org?: TestOrg): Promise<SignalingProcess> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'conch-signaling-'))
  const env: Record<string, string> = { ...process.env as Record<string, string> }
  env.PORT = String(port)
  env.CONCH_DATA = dir
  if (org) env.CONCH_ORG_ROOT = formatOrgAnchor(org.anchor)
  else env.CONCH_SIGNALING_OPEN = '1'
  const child: ChildProcess = spawn(process.execPath, [
    'scripts/deno.mjs',
    'run',
    '--allow-net',
    '--allow-read',
    '--allow-write',
    '--allow-env',
    '--unstable-kv',
    'signaling/main.ts',
  ], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d) => stderr += d)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0;; i++) {
    if (child.exitCode !== null) throw new Error(`signaling exited: ${stderr}`)
    try {
      if ((await fetch(`${url}/healthz`)).ok) break
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`signaling did not start: ${stderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  if (org) {
    const res = await fetch(`${url}/org/log`, { method: 'POST', body: org.bundle().slice() })
    if (!res.ok) throw new Error(`org log refused: ${res.status} ${await res.text()}`)
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
