// Conch crypto/ against @signalapp/libsignal-client (AGPL: used here, by the benchmark only, and
// never by product code), side by side in one run: session setup, 1:1 messages one way and
// ping-pong, sender-key group encrypt and decrypt. Ratios > 1 mean Conch is faster.

import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fromHex, toHex } from '../crypto/codec/bytes.ts'
import { dhPublicKey } from '../crypto/primitives/x25519.ts'
import { type BenchRow, median, row } from './bench-row.ts'
import {
  type Batch,
  signalGroup,
  signalOneWay,
  signalPingPong,
  signalSetup,
} from './libsignal-anchor.ts'
import {
  acceptPairwise,
  createOneTimePreKey,
  createPrekeyBundle,
  createSenderChain,
  createSignedPreKey,
  type CryptoProvider,
  decodeSenderKeyMessage,
  decryptPairwise,
  defaultProvider,
  encodeDistributionMessage,
  encryptPairwise,
  type IdentityKeyPair,
  initiateSession,
  type OneTimePreKey,
  processDistribution,
  publicIdentity,
  type RatchetState,
  senderDecrypt,
  senderDecryptMany,
  senderEncrypt,
  type SignedPreKey,
  verifySenderKeyMessage,
} from '../crypto/index.ts'

const ANCHOR = 'libsignal-client 0.103'
const PAYLOAD = new Uint8Array(100).fill(0x61)
const RUNS = 7

interface Rate {
  wall: number
  cpu: number
}

function cpuSeconds(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

/** Operations per wall-clock second, and per second of this process's CPU time (all threads). */
async function rate(n: number, batch: Batch): Promise<Rate> {
  const cpu0 = cpuSeconds()
  const start = performance.now()
  await batch()
  return { wall: n / ((performance.now() - start) / 1000), cpu: n / (cpuSeconds() - cpu0) }
}

/**
 * Runs both batches (each does `n` operations) RUNS times, interleaved so that load from other
 * processes on this shared machine hits both sides alike; medians of each side.
 */
async function compare(n: number, ours: Batch, anchor: Batch): Promise<[Rate, Rate]> {
  const a: Rate[] = []
  const b: Rate[] = []
  for (let i = 0; i < RUNS; i++) {
    a.push(await rate(n, ours))
    b.push(await rate(n, anchor))
  }
  const med = (rs: Rate[]) => ({
    wall: median(rs.map((r) => r.wall)),
    cpu: median(rs.map((r) => r.cpu)),
  })
  return [med(a), med(b)]
}

// ---------------------------------------------------------------- Conch

async function conchIdentity(p: CryptoProvider): Promise<IdentityKeyPair> {
  return { signing: await p.generateSigningKeyPair(), dh: await p.generateDhKeyPair() }
}

async function conchSetup(p: CryptoProvider, n: number): Promise<Batch> {
  const alice = await conchIdentity(p)
  const bobs: {
    identity: IdentityKeyPair
    signedPreKey: SignedPreKey
    oneTimePreKey: OneTimePreKey
  }[] = []
  for (let i = 0; i < n * RUNS; i++) {
    const identity = await conchIdentity(p)
    bobs.push({
      identity,
      signedPreKey: await createSignedPreKey(p, identity, 1),
      oneTimePreKey: await createOneTimePreKey(p, 2),
    })
  }
  let next = 0
  return async () => {
    for (let i = 0; i < n; i++) {
      const bob = bobs[next++]
      const bundle = createPrekeyBundle(bob.identity, bob.signedPreKey, bob.oneTimePreKey)
      const session = await initiateSession(p, {
        identity: alice,
        bundle,
        responder: publicIdentity(bob.identity),
      })
      const first = await encryptPairwise(p, session, PAYLOAD)
      await acceptPairwise(p, {
        identity: bob.identity,
        initiator: publicIdentity(alice),
        signedPreKey: bob.signedPreKey,
        oneTimePreKey: bob.oneTimePreKey,
        seenBaseKeys: [],
      }, first.envelope)
    }
  }
}

async function conchPair(p: CryptoProvider): Promise<{ a: RatchetState; b: RatchetState }> {
  const alice = await conchIdentity(p)
  const identity = await conchIdentity(p)
  const signedPreKey = await createSignedPreKey(p, identity, 1)
  let a = await initiateSession(p, {
    identity: alice,
    bundle: createPrekeyBundle(identity, signedPreKey),
    responder: publicIdentity(identity),
  })
  const first = await encryptPairwise(p, a, PAYLOAD)
  a = first.state
  let b = (await acceptPairwise(p, {
    identity,
    initiator: publicIdentity(alice),
    signedPreKey,
    oneTimePreKey: undefined,
    seenBaseKeys: [],
  }, first.envelope)).state
  const reply = await encryptPairwise(p, b, PAYLOAD)
  b = reply.state
  a = (await decryptPairwise(p, a, reply.envelope)).state
  return { a, b }
}

async function conchOneWay(p: CryptoProvider, n: number): Promise<Batch> {
  let { a, b } = await conchPair(p)
  return async () => {
    for (let i = 0; i < n; i++) {
      const sent = await encryptPairwise(p, a, PAYLOAD)
      a = sent.state
      b = (await decryptPairwise(p, b, sent.envelope)).state
    }
  }
}

async function conchPingPong(p: CryptoProvider, n: number): Promise<Batch> {
  let { a, b } = await conchPair(p)
  return async () => {
    for (let i = 0; i < n; i += 2) {
      const ping = await encryptPairwise(p, a, PAYLOAD)
      a = ping.state
      b = (await decryptPairwise(p, b, ping.envelope)).state
      const pong = await encryptPairwise(p, b, PAYLOAD)
      b = pong.state
      a = (await decryptPairwise(p, a, pong.envelope)).state
    }
  }
}

async function conchGroup(
  p: CryptoProvider,
  n: number,
): Promise<[Batch, Batch, Batch, Batch]> {
  const id = { channelId: new Uint8Array(16).fill(1), epoch: 0, deviceId: Uint8Array.of(1) }
  let own = await createSenderChain(p, id)
  const distribution = encodeDistributionMessage(own)
  const messages: Uint8Array[] = []
  const encrypt = async () => {
    for (let i = 0; i < n; i++) {
      const sent = await senderEncrypt(p, own, PAYLOAD)
      own = sent.state
      messages.push(sent.message)
    }
  }
  // The encrypt runs all happen first; each decrypt run then reads the next n messages in order.
  let chain = processDistribution(id.deviceId, distribution)
  let next = 0
  const decrypt = async () => {
    for (let i = 0; i < n; i++) chain = (await senderDecrypt(p, chain, messages[next++])).state
  }
  // A second receiver reads the same messages in catch-up batches of 100.
  let batchChain = processDistribution(id.deviceId, distribution)
  let batchNext = 0
  const decryptBatched = async () => {
    for (let i = 0; i < n; i += 100) {
      const r = await senderDecryptMany(p, batchChain, messages.slice(batchNext, batchNext + 100))
      if (!r.results.every((x: object) => 'plaintext' in x)) throw new Error('batch decrypt failed')
      batchChain = r.state
      batchNext += 100
    }
  }
  // A third receiver works as client/sync does: one signature per author and batch (the signed
  // envelope hash chain authenticates the rest), so each message skips its own signature.
  let chainedChain = processDistribution(id.deviceId, distribution)
  let chainedNext = 0
  const decryptChained = async () => {
    for (let i = 0; i < n; i += 100) {
      const last = decodeSenderKeyMessage(messages[chainedNext + 99])
      if (!(await verifySenderKeyMessage(p, chainedChain.signingPublicKey, last))) {
        throw new Error('batch signature')
      }
      for (let j = 0; j < 100; j++) {
        chainedChain = (await senderDecrypt(p, chainedChain, messages[chainedNext++], {
          authenticatedByCaller: true,
        })).state
      }
    }
  }
  return [encrypt, decrypt, decryptBatched, decryptChained]
}

/**
 * The Deno suite runs Wycheproof on Deno's engines; this runs it on the engine this benchmark
 * (Node) uses, so the numbers are never for a provider that answers wrongly.
 */
async function checkProviderOnThisRuntime(p: CryptoProvider): Promise<string> {
  const root = process.env.CONCH_VECTORS ??
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'vectors')
  const load = (f: string) => {
    const path = join(root, 'wycheproof', f)
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).testGroups : undefined
  }
  const x = load('x25519_test.json')
  const ed = load('ed25519_test.json')
  if (!x || !ed) return 'Wycheproof vectors absent: provider not re-checked on Node'
  let n = 0
  for (const g of x) {
    for (const t of g.tests) {
      const secretKey = fromHex(t.private)
      const expected = /^0+$/.test(t.shared) ? 'reject' : t.shared
      const got = await p.dh({ secretKey, publicKey: dhPublicKey(secretKey) }, fromHex(t.public))
        .then(toHex, () => 'reject')
      if (got !== expected) throw new Error(`x25519 tcId ${t.tcId}: ${p.name} disagrees`)
      n++
    }
  }
  for (const g of ed) {
    for (const t of g.tests) {
      const ok = await p.verifyRaw(fromHex(g.publicKey.pk), fromHex(t.msg), fromHex(t.sig))
      if (ok !== (t.result === 'valid')) throw new Error(`ed25519 tcId ${t.tcId}: ${p.name}`)
      n++
    }
  }
  const aead = load('xchacha20_poly1305_test.json')
  if (p.symmetric && aead) {
    for (const g of aead) {
      for (const t of g.tests) {
        const [key, iv, ad, msg] = [t.key, t.iv, t.aad, t.msg].map(fromHex)
        const sealed = toHex(fromHex(t.ct + t.tag))
        const opened = (() => {
          try {
            return toHex(p.symmetric!.open(key, iv, fromHex(sealed), ad))
          } catch {
            return 'refused'
          }
        })()
        const expected = t.result === 'valid' ? toHex(msg) : 'refused'
        if (opened !== expected) throw new Error(`xchacha tcId ${t.tcId}: ${p.symmetric.name}`)
        if (t.result === 'valid' && toHex(p.symmetric.seal(key, iv, msg, ad)) !== sealed) {
          throw new Error(`xchacha seal tcId ${t.tcId}: ${p.symmetric.name}`)
        }
        n++
      }
    }
  }
  return `${n} Wycheproof X25519/Ed25519/XChaCha20-Poly1305 vectors pass on Node with ${p.name}`
}

export default async function bench(): Promise<BenchRow[]> {
  const p = await defaultProvider()
  console.log(`conch provider: ${p.name}; ${await checkProviderOnThisRuntime(p)}`)
  const [setupN, oneWayN, pingN, groupN] = [100, 2000, 1000, 2000]
  const [ourEnc, ourDec, ourBatch, ourChained] = await conchGroup(p, groupN)
  const [sigEnc, sigDec, sigDec2, sigDec3] = await signalGroup(groupN)
  const cases: [string, string, number, Batch, Batch][] = [
    [
      'session setup (X3DH + first message, both sides)',
      'setups/s',
      setupN,
      await conchSetup(p, setupN),
      await signalSetup(setupN, RUNS),
    ],
    [
      '1:1 100 B one direction, encrypt+decrypt',
      'msgs/s',
      oneWayN,
      await conchOneWay(p, oneWayN),
      await signalOneWay(oneWayN),
    ],
    [
      '1:1 100 B ping-pong (DH step each turn)',
      'msgs/s',
      pingN,
      await conchPingPong(p, pingN),
      await signalPingPong(pingN),
    ],
    ['sender-key group encrypt 100 B', 'msgs/s', groupN, ourEnc, sigEnc],
    ['sender-key group decrypt 100 B', 'msgs/s', groupN, ourDec, sigDec],
    [
      'sender-key group decrypt 100 B, catch-up batches of 100 (libsignal: one at a time)',
      'msgs/s',
      groupN,
      ourBatch,
      sigDec2,
    ],
    [
      'sender-key group decrypt 100 B, one signature per 100 (client/sync hash chain; libsignal: every message)',
      'msgs/s',
      groupN,
      ourChained,
      sigDec3,
    ],
  ]
  // Wall-clock rows first; then the same runs per CPU-second, which stays comparable when other
  // processes load this shared 2-core machine (sequential work: equal to wall-clock when idle).
  const wall: BenchRow[] = []
  const cpu: BenchRow[] = []
  for (const [name, unit, n, ours, anchor] of cases) {
    const [o, a] = await compare(n, ours, anchor)
    wall.push(row(name, unit, o.wall, a.wall, ANCHOR, true))
    cpu.push(row(`${name} [CPU time]`, `${unit} of CPU`, o.cpu, a.cpu, ANCHOR, true))
  }
  return [...wall, ...cpu]
}
