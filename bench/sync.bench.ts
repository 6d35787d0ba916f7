// The sync engine against raw, unencrypted Yjs, side by side in one run: a new device catching
// up on a large channel (history snapshot over a pairwise session; and, for a returning device,
// the envelope log with one signature check per author and batch), and steady-state messages/s
// between two in-process peers through the whole pipeline, with a per-stage cost breakdown.
// CONCH_BENCH_MESSAGES (default 100000) sets the channel size for the new-device catch-up,
// CONCH_BENCH_LOG (10000) the envelope-log one, CONCH_BENCH_STEADY (2000) the steady-state
// run. Ratios > 1 mean we win.

import * as Y from 'yjs'
import type { ChannelEngine } from '../client/engine/channel-engine.ts'
import type { PeerLink } from '../client/transport/peer-link.ts'
import { secureRandom } from '../crypto/primitives/random.ts'
import { defaultProvider } from '../crypto/provider/default-provider.ts'
import { OrgWorld } from '../tests/client/org-world.ts'
import { type BenchRow, median, row } from './bench-row.ts'

const N = Number(process.env.CONCH_BENCH_MESSAGES ?? 100_000)
const STEADY = Number(process.env.CONCH_BENCH_STEADY ?? 2_000)
/** The envelope-log catch-up runs ~1 ms per envelope: a smaller channel keeps the run short. */
const LOG = Number(process.env.CONCH_BENCH_LOG ?? 10_000)
const RAW = 'raw Yjs, unencrypted'

/** Immediate in-process link that counts the bytes both ways. */
function wire(a: ChannelEngine, b: ChannelEngine): { bytes(): number } {
  let bytes = 0
  const toB: PeerLink = {
    id: 'to-b',
    kind: 'bench',
    send: (f) => {
      bytes += f.length
      queueMicrotask(() => b.receive(toA, f))
    },
  }
  const toA: PeerLink = {
    id: 'to-a',
    kind: 'bench',
    send: (f) => {
      bytes += f.length
      queueMicrotask(() => a.receive(toB, f))
    },
  }
  a.linkUp(toB)
  b.linkUp(toA)
  return { bytes: () => bytes }
}

async function until(done: () => boolean, ...engines: ChannelEngine[]): Promise<void> {
  while (!done()) {
    await new Promise((r) => setImmediate(r))
    await Promise.all(engines.map((e) => e.idle()))
  }
}

/** The same history as a plain Yjs document, for the anchor: same keys, same values. */
function rawHistory(doc: Y.Doc): Y.Doc {
  const raw = new Y.Doc()
  raw.transact(() => {
    const m = raw.getMap('messages')
    doc.getMap('messages').forEach((v, k) => m.set(k, v))
  })
  return raw
}

function rawCatchUp(source: Y.Doc): { ms: number; bytes: number } {
  const started = performance.now()
  const update = Y.encodeStateAsUpdate(source)
  const fresh = new Y.Doc()
  Y.applyUpdate(fresh, update)
  const ms = performance.now() - started
  if (fresh.getMap('messages').size !== source.getMap('messages').size) throw new Error('raw')
  return { ms, bytes: update.length }
}

/** A channel of `count` messages, each posted through the whole pipeline by Alice. */
async function history(seed: number, count: number, newcomers: string[]) {
  const world = await OrgWorld.create(seed)
  await world.addDevice('alice')
  for (const name of newcomers) await world.addDevice(name)
  const provider = await defaultProvider()
  const alice = await world.open('alice', undefined, { provider, random: secureRandom })
  const started = performance.now()
  for (let i = 0; i < count; i++) {
    alice.post(`message ${i}: the quick brown fox jumps over the lazy dog`)
    if (i % 1000 === 999) await alice.idle()
  }
  await alice.idle()
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`history: ${count} messages through the pipeline in ${seconds} s`)
  return { world, provider, alice }
}

/** A new device: the channel as a snapshot over a pairwise session (median of 3 devices). */
async function snapshotCatchUp(rows: BenchRow[]): Promise<void> {
  const newcomers = ['dave', 'frank', 'grace']
  const { world, provider, alice } = await history(7, N, newcomers)
  const rawDoc = rawHistory(alice.doc)
  const raws = [0, 1, 2].map(() => rawCatchUp(rawDoc))
  const times: number[] = []
  let bytes = 0
  for (const name of newcomers) {
    const device = await world.open(name, undefined, { provider, random: secureRandom })
    const started = performance.now()
    const link = wire(alice, device)
    await until(() => device.stats.snapshotsAccepted === 1, alice, device)
    times.push(performance.now() - started)
    bytes = link.bytes()
    if (device.doc.getMap('messages').size !== N) throw new Error(`${name} is missing history`)
  }
  const rawMs = median(raws.map((r) => r.ms))
  rows.push(
    row(`catch-up ${N} msgs, new device (snapshot): time`, 'ms', median(times), rawMs, RAW, false),
    row(
      `catch-up ${N} msgs, new device (snapshot): bytes on the wire`,
      'bytes',
      bytes,
      raws[0].bytes,
      RAW,
      false,
    ),
  )
}

/** A returning device with history sharing off: the envelope log itself, batch-verified. */
async function envelopeCatchUp(rows: BenchRow[]): Promise<void> {
  const { world, provider, alice } = await history(9, LOG, ['erin'])
  const raw = rawCatchUp(rawHistory(alice.doc))
  world.append({ type: 'set-policy', key: 'history-sharing', value: 'none' })
  alice.setOrgState(world.state())
  const erin = await world.open('erin', undefined, { provider, random: secureRandom })
  const started = performance.now()
  const envelopes = wire(alice, erin)
  await until(() => erin.stats.envelopesAccepted >= LOG, alice, erin)
  const ms = performance.now() - started
  console.log(`erin checked ${erin.stats.signatureChecks} signatures for ${LOG} envelopes`)
  rows.push(
    row(`catch-up ${LOG} msgs, envelope log: time`, 'ms', ms, raw.ms, RAW, false),
    row(
      `catch-up ${LOG} msgs, envelope log: bytes on the wire`,
      'bytes',
      envelopes.bytes(),
      raw.bytes,
      RAW,
      false,
    ),
    row(
      `catch-up ${LOG} msgs, envelope log: signature checks`,
      'checks',
      erin.stats.signatureChecks,
      LOG,
      'one per envelope',
      false,
    ),
  )
}

async function steadyState(rows: BenchRow[]): Promise<void> {
  const world = await OrgWorld.create(8)
  await world.addDevice('alice')
  await world.addDevice('bob')
  const provider = await defaultProvider()
  const clock = () => performance.now()
  const alice = await world.open('alice', undefined, {
    stageClock: clock,
    provider,
    random: secureRandom,
  })
  const bob = await world.open('bob', undefined, {
    stageClock: clock,
    provider,
    random: secureRandom,
  })
  wire(alice, bob)
  alice.post('warm-up: sessions and chains')
  await until(() => bob.stats.envelopesAccepted === 1, alice, bob)
  for (const e of [alice, bob]) for (const k in e.stats.stageMs) e.stats.stageMs[k as 'seal'] = 0

  // One message at a time (each delivered before the next is posted): stages do not overlap,
  // so each stage's time is its own cost.
  let started = performance.now()
  for (let i = 0; i < STEADY; i++) {
    alice.post(`steady ${i}: a typical short chat message`)
    await until(() => bob.stats.envelopesAccepted === i + 2, alice, bob)
  }
  const oneByOne = STEADY / ((performance.now() - started) / 1000)
  const stageMs = { alice: { ...alice.stats.stageMs }, bob: { ...bob.stats.stageMs } }

  // Pipelined: everything posted at once, then delivered.
  started = performance.now()
  for (let i = 0; i < STEADY; i++) alice.post(`burst ${i}: a typical short chat message`)
  await until(() => bob.stats.envelopesAccepted === 2 * STEADY + 1, alice, bob)
  const pipelined = STEADY / ((performance.now() - started) / 1000)

  // Anchor: the same posts as plain Yjs updates applied to a second document.
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u))
  const rawStarted = performance.now()
  for (let i = 0; i < STEADY; i++) {
    a.getMap('messages').set(`k${i}`, { text: `steady ${i}: a typical short chat message`, hlc: i })
  }
  const rawRate = STEADY / ((performance.now() - rawStarted) / 1000)
  console.log(`provider ${provider.name}`)
  rows.push(
    row('steady state alice -> bob, one at a time', 'msg/s', oneByOne, rawRate, RAW, true),
    row('steady state alice -> bob, pipelined burst', 'msg/s', pipelined, rawRate, RAW, true),
  )
  const perMessage = (ms: number) => (ms * 1000) / STEADY
  const rawUs = 1e6 / rawRate
  const stages: [string, number][] = [
    ['seal (sender-key encrypt + 2 signatures)', stageMs.alice.seal],
    ['persist at sender (sealed store)', stageMs.alice.persist],
    ['verify (device signature, hash chain)', stageMs.bob.verify],
    ['decrypt (sender key)', stageMs.bob.decrypt],
    ['validate (ownership)', stageMs.bob.validate],
    ['apply (Y.applyUpdate)', stageMs.bob.apply],
    ['persist at receiver (sealed store)', stageMs.bob.persist],
  ]
  for (const [name, ms] of stages) {
    rows.push(
      row(`stage: ${name}`, 'µs/msg', perMessage(ms), rawUs, 'raw Yjs, whole message', false),
    )
  }
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  await steadyState(rows)
  await snapshotCatchUp(rows)
  await envelopeCatchUp(rows)
  return rows
}
