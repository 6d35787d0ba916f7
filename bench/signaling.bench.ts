// Signaling worker (admission on) vs y-webrtc's reference server (bin/server.js), one load
// generator for both: idle connections held and settled memory per connection, and fan-out
// throughput. Env: SIGNALING_BENCH_SIZES, SIGNALING_BENCH_FANOUT (comma lists),
// SIGNALING_BENCH_HOLD_MS (default 60000), SIGNALING_BENCH_TRACE=1 (RSS each second),
// SIGNALING_BENCH_V8_FLAGS (ours only, for experiments; the results file uses none).

import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { base64url, fromBase64url, toHex } from '../crypto/codec/bytes.ts'
import {
  createDeviceCertificate,
  createLogEntry,
  encodeCredential,
  encodeLogBundle,
  formatOrgAnchor,
  type LogEntry,
  type Role,
  signAdmission,
} from '../crypto/membership/index.ts'
import { generateSigningKeyPair } from '../crypto/primitives/ed25519.ts'
import { sha256 } from '../crypto/primitives/kdf.ts'
import { generateDhKeyPair } from '../crypto/primitives/x25519.ts'
import { type BenchRow, median, row } from './bench-row.ts'

const ANCHOR_NAME = 'y-webrtc bin/server.js'
const IDLE_SIZES = (process.env.SIGNALING_BENCH_SIZES ?? '1000,5000,10000').split(',').filter(
  Boolean,
)
  .map(Number)
const FANOUT_SIZES = (process.env.SIGNALING_BENCH_FANOUT ?? '100,1000').split(',').filter(Boolean)
  .map(Number)
const FANOUT_MESSAGES = 150 // within our default burst (200): no publish is rate-limited
const DEVICES = 250 // distinct admitted devices; connections reuse them round-robin
const BATCH = 200 // connections opened concurrently
/**
 * Memory is read as RSS, the same way for both servers, and only at steady state: each server
 * settles before the baseline, and after the connections are open it is left alone for HOLD_MS
 * and the median of the last SAMPLES once-a-second readings is taken. HOLD_MS must outlast V8's
 * memory reducer on both sides: Node 20's V8 starts it 8 s after the last full GC, Deno 2.9's
 * 30 s. (A 3 s hold measured both mid-burst: young generations and garbage, not connections.)
 */
const SETTLE_MS = 2000
const HOLD_MS = Number(process.env.SIGNALING_BENCH_HOLD_MS ?? 60_000)
const TRACE = process.env.SIGNALING_BENCH_TRACE === '1'
const SAMPLES = 5

interface Server {
  url: string
  pid: number
  stop(): Promise<void>
}

interface Device {
  secretKey: Uint8Array
  credential: string
}

interface Org {
  anchorText: string
  orgId: Uint8Array
  devices: Device[]
  bundle: Uint8Array
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Median of `count` RSS readings taken `gapMs` apart. */
async function settledRssKb(pid: number, count: number, gapMs: number): Promise<number> {
  const readings: number[] = []
  for (let i = 0; i < count; i++) {
    if (i) await sleep(gapMs)
    readings.push(rssKb(pid))
  }
  return median(readings)
}

/** Ours only (the reference has no such endpoint): the V8 heap split from GET /metrics. */
async function heapSplit(server: Server): Promise<Record<string, number>> {
  const url = server.url.replace('ws:', 'http:') + '/metrics'
  const text = await (await fetch(url)).text()
  const split: Record<string, number> = {}
  for (
    const [, name, value] of text.matchAll(/^conch_(heap_total|heap_used|external)_bytes (\d+)$/gm)
  ) {
    split[name] = Number(value)
  }
  return split
}

/** CPU seconds (user + system) the process has used, from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1])
}

/** Resolves when the child prints `marker`; rejects if it exits first. */
function waitFor(child: ChildProcess, marker: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      if (out.includes(marker)) resolve()
    })
    child.stderr!.on('data', () => {})
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before ready: ${out}`)))
  })
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
    })
}

/** Ours, started the documented way (node scripts/deno.mjs run …), with admission on. */
async function startOurs(org: Org): Promise<Server & { dataDir: string }> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'conch-bench-'))
  const child = spawn('node', [
    'scripts/deno.mjs',
    'run',
    '--allow-net',
    '--allow-read',
    '--allow-write',
    '--allow-env',
    '--unstable-kv',
    ...(process.env.SIGNALING_BENCH_V8_FLAGS
      ? [`--v8-flags=${process.env.SIGNALING_BENCH_V8_FLAGS}`]
      : []),
    'signaling/main.ts',
  ], {
    env: {
      ...process.env,
      PORT: String(port),
      CONCH_ORG_ROOT: org.anchorText,
      CONCH_DATA: dataDir,
      CONCH_IDLE_TIMEOUT_MS: '600000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await waitFor(child, 'signaling listening on')
  // The wrapper's child is the Deno process whose memory we measure.
  const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim()
  const pid = Number(children.split(' ')[0])
  const url = `http://127.0.0.1:${port}`
  const response = await fetch(`${url}/org/log`, {
    method: 'POST',
    body: org.bundle as Uint8Array<ArrayBuffer>,
  })
  if (!response.ok) throw new Error(`org log refused: ${await response.text()}`)
  const stop = stopper(child)
  return {
    url: `ws://127.0.0.1:${port}`,
    pid,
    dataDir,
    async stop() {
      await stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function startReference(): Promise<Server> {
  const port = await freePort()
  const child = spawn('node', ['node_modules/y-webrtc/bin/server.js'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await waitFor(child, 'Signaling server running')
  return { url: `ws://127.0.0.1:${port}`, pid: child.pid!, stop: stopper(child) }
}

function makeOrg(): Org {
  const root = generateSigningKeyPair()
  const orgId = crypto.getRandomValues(new Uint8Array(16))
  const entries: LogEntry[] = []
  const devices: Device[] = []
  let heads: Uint8Array[] = []
  for (let i = 0; i < DEVICES; i++) {
    const signing = generateSigningKeyPair()
    const now = Date.now()
    const certificate = createDeviceCertificate(root.secretKey, {
      orgId,
      issuer: root.publicKey,
      userId: `user-${i}`,
      displayName: `User ${i}`,
      deviceId: crypto.getRandomValues(new Uint8Array(16)),
      signingPublicKey: signing.publicKey,
      identityDhPublicKey: generateDhKeyPair().publicKey,
      roles: new Set<Role>(['member']),
      notBefore: now - 60_000,
      notAfter: now + 24 * 3600_000,
      clientIdRange: { start: i * 0x10000, end: (i + 1) * 0x10000 },
    })
    const entry = createLogEntry({
      orgId,
      authorSecretKey: root.secretKey,
      timestamp: now,
      heads,
      body: { type: 'issue-device', certificate },
    })
    heads = [entry.hash]
    entries.push(entry)
    devices.push({
      secretKey: signing.secretKey,
      credential: base64url(encodeCredential({ device: certificate, chain: [] })),
    })
  }
  return {
    anchorText: formatOrgAnchor({ orgId, rootPublicKey: root.publicKey }),
    orgId,
    devices,
    bundle: encodeLogBundle(entries),
  }
}

const topicOf = (i: number) => toHex(sha256(new TextEncoder().encode(`bench-topic-${i}`)))

/**
 * One load-generator client: connects, authenticates if `org` is given (ours), subscribes, and
 * resolves once a ping/pong round trip proves the subscription is in place.
 */
function openClient(
  url: string,
  org: Org | undefined,
  device: number,
  topics: string[],
  onPublish?: () => void,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false })
    const ready = () => {
      ws.send(JSON.stringify({ type: 'subscribe', topics }))
      ws.send(JSON.stringify({ type: 'ping' }))
    }
    ws.on('open', () => {
      if (!org) ready()
    })
    ws.on('message', (data) => {
      const text = data.toString()
      if (onPublish && text.startsWith('{"type":"publish"')) return onPublish()
      const m = JSON.parse(text)
      if (m.type === 'challenge' && org) {
        const d = org.devices[device % org.devices.length]
        const signature = signAdmission(d.secretKey, org.orgId, fromBase64url(m.challenge))
        ws.send(JSON.stringify({
          type: 'auth',
          challenge: m.challenge,
          credential: d.credential,
          signature: base64url(signature),
        }))
      } else if (m.type === 'welcome') ready()
      else if (m.type === 'pong') resolve(ws)
    })
    ws.on('error', reject)
    ws.on('close', (code) => reject(new Error(`closed ${code} before ready`)))
  })
}

async function openMany(
  url: string,
  org: Org | undefined,
  n: number,
  topicsFor: (i: number) => string[],
  onPublish?: () => void,
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = []
  for (let i = 0; i < n; i += BATCH) {
    const batch = []
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      batch.push(openClient(url, org, j, topicsFor(j), onPublish))
    }
    sockets.push(...await Promise.all(batch))
  }
  return sockets
}

function closeAll(sockets: WebSocket[]): void {
  for (const s of sockets) s.terminate()
}

interface IdleResult {
  held: number
  kbPerConnection: number
  /** RSS per connection right after the last one was set up (before settling). */
  kbPerConnectionAtOnce: number
  /** Ours: heap split per connection (KiB) at the end of the hold. */
  split?: string
  setupPerSecond: number
  /** Server CPU milliseconds per connection set up (admission included for ours). */
  cpuMsPerConnection: number
}

/** Opens n subscribed connections, holds them, and measures the server's settled RSS growth. */
async function idle(start: () => Promise<Server>, org: Org | undefined, n: number) {
  const server = await start()
  try {
    await sleep(SETTLE_MS)
    const split0 = org ? await heapSplit(server) : undefined
    const before = await settledRssKb(server.pid, SAMPLES, 200)
    const cpu0 = cpuSeconds(server.pid)
    const t0 = performance.now()
    const sockets = await openMany(server.url, org, n, (i) => [topicOf(i % 100)])
    const setupPerSecond = n / ((performance.now() - t0) / 1000)
    const cpuMsPerConnection = ((cpuSeconds(server.pid) - cpu0) * 1000) / n
    const atOnce = rssKb(server.pid)
    const trace: string[] = []
    for (let t = 0; t < HOLD_MS - SAMPLES * 1000; t += 1000) {
      await sleep(1000)
      if (TRACE) trace.push(((rssKb(server.pid) - before) / n).toFixed(1))
    }
    if (TRACE) console.log(`RSS KiB/conn each second, ${n} held: ${trace.join(' ')}`)
    const after = await settledRssKb(server.pid, SAMPLES, 1000)
    let split: string | undefined
    if (split0) {
      const split1 = await heapSplit(server)
      split = Object.keys(split1)
        .map((k) => `${k.replace('_', ' ')} ${((split1[k] - split0[k]) / n / 1024).toFixed(1)}`)
        .join(', ')
    }
    const held = sockets.filter((s) => s.readyState === WebSocket.OPEN).length
    // Stop the server first so the TIME_WAIT sockets sit on its side, not on client ports.
    await server.stop()
    closeAll(sockets)
    return {
      held,
      kbPerConnection: (after - before) / n,
      kbPerConnectionAtOnce: (atOnce - before) / n,
      split,
      setupPerSecond,
      cpuMsPerConnection,
    } as IdleResult
  } finally {
    await server.stop()
  }
}

/** One publisher, n subscribers on one topic: deliveries per second (median of 3 runs). */
async function fanout(start: () => Promise<Server>, org: Org | undefined, n: number) {
  const server = await start()
  const topic = topicOf(-1)
  let received = 0
  let wake: () => void = () => {}
  const onPublish = () => {
    received++
    if (received === target) wake()
  }
  let target = 0
  try {
    const subscribers = await openMany(server.url, org, n, () => [topic], onPublish)
    const rates: number[] = []
    for (let run = 0; run < 3; run++) {
      const publisher = await openClient(server.url, org, DEVICES - 1 - run, [])
      received = 0
      target = n * FANOUT_MESSAGES
      const done = new Promise<void>((resolve) => (wake = resolve))
      const t0 = performance.now()
      for (let i = 0; i < FANOUT_MESSAGES; i++) {
        publisher.send(JSON.stringify({
          type: 'publish',
          topic,
          data: { type: 'signal', from: 'bench', to: 'all', signal: { sdp: 'x'.repeat(160), i } },
        }))
      }
      const timeout = sleep(120_000).then(() => {
        throw new Error(`fan-out stalled at ${received}/${target}`)
      })
      await Promise.race([done, timeout])
      rates.push(target / ((performance.now() - t0) / 1000))
      publisher.terminate()
      await sleep(300)
    }
    await server.stop()
    closeAll(subscribers)
    return median(rates)
  } finally {
    await server.stop()
  }
}

export default async function signalingBench(): Promise<BenchRow[]> {
  const org = makeOrg()
  const ours = () => startOurs(org)
  const rows: BenchRow[] = []
  for (const n of IDLE_SIZES) {
    const a = await idle(ours, org, n)
    const b = await idle(startReference, undefined, n)
    console.log(
      `idle ${n}: ours ${a.held} held, ${a.kbPerConnection.toFixed(1)} KiB/conn settled ` +
        `(${a.kbPerConnectionAtOnce.toFixed(1)} at once; heap split ${a.split}), ` +
        `${a.setupPerSecond.toFixed(0)} admitted conn/s, ${a.cpuMsPerConnection.toFixed(2)} ` +
        `server CPU ms/conn | reference ${b.held} held, ${b.kbPerConnection.toFixed(1)} ` +
        `KiB/conn settled (${b.kbPerConnectionAtOnce.toFixed(1)} at once), ` +
        `${b.setupPerSecond.toFixed(0)} conn/s, ${b.cpuMsPerConnection.toFixed(2)} CPU ms/conn`,
    )
    rows.push(row(`idle connections held (${n})`, 'connections', a.held, b.held, ANCHOR_NAME, true))
    rows.push(
      row(
        `memory per idle connection (${n})`,
        'KiB',
        a.kbPerConnection,
        b.kbPerConnection,
        ANCHOR_NAME,
        false,
      ),
    )
  }
  for (const n of FANOUT_SIZES) {
    const a = await fanout(ours, org, n)
    const b = await fanout(startReference, undefined, n)
    console.log(`fan-out 1 -> ${n}: ours ${a.toFixed(0)} deliveries/s, reference ${b.toFixed(0)}`)
    rows.push(
      row(`fan-out 1 publisher -> ${n} subscribers`, 'deliveries/s', a, b, ANCHOR_NAME, true),
    )
  }
  return rows
}
