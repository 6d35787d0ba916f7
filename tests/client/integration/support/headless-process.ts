// Runs the always-on peer exactly as an operator does (client/headless/main.ts in its own Node
// process), with a throwaway identity file, org log file and data directory.

import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatOrgAnchor } from '../../../../crypto/membership/org-anchor.ts'
import type { TestDevice, TestOrg } from './test-org.ts'

export interface HeadlessProcess {
  peerId: string
  /** The WebSocket multiaddr devices dial, ending in /p2p/<peer id>. */
  address: string
  metricsUrl: string
  // deno-lint-ignore no-explicit-any
  metrics(): Promise<Record<string, any>>
  /** Rewrites the org log file (the peer reloads it every `refreshMs`). */
  publishLog(): void
  /** Stops the process and starts it again on the same data directory (new port). */
  restart(): Promise<void>
  stop(): Promise<void>
}

export async function startHeadlessProcess(
  org: TestOrg,
  relay: TestDevice,
  options: {
    refreshMs?: number
    /** Follow the org log of a signaling worker (its base URL) instead of a file. */
    orgLogUrl?: string
    env?: Record<string, string>
  } = {},
): Promise<HeadlessProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'conch-headless-'))
  const identityFile = join(dir, 'identity.json')
  const logFile = join(dir, 'org.log')
  writeFileSync(identityFile, JSON.stringify(relay.secrets))
  writeFileSync(logFile, org.bundle())
  const launch = async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './scripts/lib/node-polyfills.mjs',
        'client/headless/main.ts',
      ],
      {
        env: {
          ...process.env,
          CONCH_ORG_ANCHOR: formatOrgAnchor(org.anchor),
          CONCH_HEADLESS_IDENTITY: identityFile,
          ...(options.orgLogUrl
            ? { CONCH_ORG_LOG_URL: options.orgLogUrl }
            : { CONCH_ORG_LOG_FILE: logFile }),
          CONCH_ORG_LOG_REFRESH_MS: String(options.refreshMs ?? 500),
          CONCH_HEADLESS_LISTEN: '/ip4/127.0.0.1/tcp/0/ws',
          CONCH_HEADLESS_HTTP_PORT: '0',
          CONCH_HEADLESS_DATA: join(dir, 'data'),
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr!.on('data', (d) => stderr += d)
    const ready = await new Promise<{ peerId: string; addresses: string[]; http: number }>(
      (resolve, reject) => {
        let out = ''
        child.stdout!.on('data', (d) => {
          out += d
          const line = out.split('\n').find((l) => l.startsWith('{"ready"'))
          if (line) resolve(JSON.parse(line))
        })
        child.on('exit', (code) => reject(new Error(`headless exited ${code}: ${stderr}`)))
      },
    )
    return { child, ready }
  }
  const kill = async (child: ChildProcess) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
  }
  let current = await launch()
  const proc: HeadlessProcess = {
    peerId: current.ready.peerId,
    address: '',
    metricsUrl: '',
    metrics: async () => await (await fetch(proc.metricsUrl)).json(),
    publishLog: () => writeFileSync(logFile, org.bundle()),
    async restart() {
      await kill(current.child)
      current = await launch()
      follow()
    },
    async stop() {
      await kill(current.child)
      rmSync(dir, { recursive: true, force: true })
    },
  }
  const follow = () => {
    proc.peerId = current.ready.peerId
    proc.address = current.ready.addresses.find((a) => a.includes('/ws'))!
    proc.metricsUrl = `http://127.0.0.1:${current.ready.http}/metrics.json`
  }
  follow()
  return proc
}
