// Spawns support/peer-process-main.ts as a separate Node process and follows its state.

import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { PeerProcessConfig } from './peer-process-main.ts'

export interface PeerState {
  texts: string[]
  links: { kind: string; user: string }[]
  rejected: number
}

export interface PeerProcess {
  state: PeerState
  post(text: string): void
  /** Resolves when the reported state satisfies `predicate`. */
  until(predicate: (s: PeerState) => boolean): Promise<void>
  stop(): Promise<void>
}

export function spawnPeer(config: PeerProcessConfig): PeerProcess {
  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    '--import',
    './scripts/lib/node-polyfills.mjs',
    'tests/client/integration/support/peer-process-main.ts',
  ], {
    env: { ...process.env, CONCH_PEER_CONFIG: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let waiters: (() => void)[] = []
  const peer: PeerProcess = {
    state: { texts: [], links: [], rejected: 0 },
    post: (text) => child.stdin!.write(JSON.stringify({ post: text }) + '\n'),
    until(predicate) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(peer.state)) resolve()
          else if (child.exitCode !== null) reject(new Error('peer process exited'))
          else waiters.push(check)
        }
        check()
      })
    },
    async stop() {
      if (child.exitCode === null) {
        child.stdin!.write(JSON.stringify({ stop: true }) + '\n')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
    },
  }
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{"texts"')) return
    peer.state = JSON.parse(line)
    const w = waiters
    waiters = []
    for (const f of w) f()
  })
  return peer
}
