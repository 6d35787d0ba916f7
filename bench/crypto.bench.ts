// Conch crypto/ against @signalapp/libsignal-client (AGPL: used here, by the benchmark only, and
// never by product code), side by side in one run: session setup, 1:1 messages one way and
// ping-pong, sender-key group encrypt and decrypt. Ratios > 1 mean Conch is faster.

import * as signal from '@signalapp/libsignal-client'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fromHex, toHex } from '../crypto/codec/bytes.ts'
import { dhPublicKey } from '../crypto/primitives/x25519.ts'
import { type BenchRow, median, row } from './bench-row.ts'
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

type Batch = () => Promise<void>

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

// ---------------------------------------------------------------- libsignal

type Address = signal.ProtocolAddress
const key = (a: Address) => `${a.name()}.${a.deviceId()}`

class Sessions extends signal.SessionStore {
  map = new Map<string, signal.SessionRecord>()
  saveSession(a: Address, r: signal.SessionRecord) {
    this.map.set(key(a), r)
    return Promise.resolve()
  }
  getSession(a: Address) {
    return Promise.resolve(this.map.get(key(a)) ?? null)
  }
  getExistingSessions(as: Address[]) {
    return Promise.resolve(as.map((a) => this.map.get(key(a))!))
  }
}

class Identities extends signal.IdentityKeyStore {
  map = new Map<string, signal.PublicKey>()
  constructor(readonly identity: signal.PrivateKey, readonly registrationId: number) {
    super()
  }
  getIdentityKey() {
    return Promise.resolve(this.identity)
  }
  getLocalRegistrationId() {
    return Promise.resolve(this.registrationId)
  }
  saveIdentity(a: Address, k: signal.PublicKey) {
    this.map.set(key(a), k)
    return Promise.resolve(signal.IdentityChange.NewOrUnchanged)
  }
  isTrustedIdentity() {
    return Promise.resolve(true)
  }
  getIdentity(a: Address) {
    return Promise.resolve(this.map.get(key(a)) ?? null)
  }
}

class PreKeys extends signal.PreKeyStore {
  map = new Map<number, signal.PreKeyRecord>()
  savePreKey(id: number, r: signal.PreKeyRecord) {
    this.map.set(id, r)
    return Promise.resolve()
  }
  getPreKey(id: number) {
    return Promise.resolve(this.map.get(id)!)
  }
  removePreKey(id: number) {
    this.map.delete(id)
    return Promise.resolve()
  }
}

class SignedPreKeys extends signal.SignedPreKeyStore {
  map = new Map<number, signal.SignedPreKeyRecord>()
  saveSignedPreKey(id: number, r: signal.SignedPreKeyRecord) {
    this.map.set(id, r)
    return Promise.resolve()
  }
  getSignedPreKey(id: number) {
    return Promise.resolve(this.map.get(id)!)
  }
}

class KyberPreKeys extends signal.KyberPreKeyStore {
  map = new Map<number, signal.KyberPreKeyRecord>()
  saveKyberPreKey(id: number, r: signal.KyberPreKeyRecord) {
    this.map.set(id, r)
    return Promise.resolve()
  }
  getKyberPreKey(id: number) {
    return Promise.resolve(this.map.get(id)!)
  }
  markKyberPreKeyUsed() {
    return Promise.resolve()
  }
}

class SenderKeys extends signal.SenderKeyStore {
  map = new Map<string, signal.SenderKeyRecord>()
  saveSenderKey(a: Address, d: string, r: signal.SenderKeyRecord) {
    this.map.set(`${key(a)}/${d}`, r)
    return Promise.resolve()
  }
  getSenderKey(a: Address, d: string) {
    return Promise.resolve(this.map.get(`${key(a)}/${d}`) ?? null)
  }
}

interface SignalDevice {
  address: Address
  identity: Identities
  sessions: Sessions
  preKeys: PreKeys
  signedPreKeys: SignedPreKeys
  kyberPreKeys: KyberPreKeys
}

function signalDevice(name: string, registrationId: number): SignalDevice {
  return {
    address: signal.ProtocolAddress.new(name, 1),
    identity: new Identities(signal.PrivateKey.generate(), registrationId),
    sessions: new Sessions(),
    preKeys: new PreKeys(),
    signedPreKeys: new SignedPreKeys(),
    kyberPreKeys: new KyberPreKeys(),
  }
}

/** Bob's prekeys saved in his stores, and the bundle Alice would fetch. */
function signalBundle(bob: SignalDevice): signal.PreKeyBundle {
  const identity = bob.identity.identity
  const preKey = signal.PrivateKey.generate()
  const signedPreKey = signal.PrivateKey.generate()
  const signedSig = identity.sign(signedPreKey.getPublicKey().serialize())
  const kyber = signal.KEMKeyPair.generate()
  const kyberSig = identity.sign(kyber.getPublicKey().serialize())
  bob.preKeys.map.set(1, signal.PreKeyRecord.new(1, preKey.getPublicKey(), preKey))
  bob.signedPreKeys.map.set(
    2,
    signal.SignedPreKeyRecord.new(2, 0, signedPreKey.getPublicKey(), signedPreKey, signedSig),
  )
  bob.kyberPreKeys.map.set(3, signal.KyberPreKeyRecord.new(3, 0, kyber, kyberSig))
  return signal.PreKeyBundle.new(
    bob.identity.registrationId,
    1,
    1,
    preKey.getPublicKey(),
    2,
    signedPreKey.getPublicKey(),
    signedSig,
    identity.getPublicKey(),
    3,
    kyber.getPublicKey(),
    kyberSig,
  )
}

function signalSend(
  from: SignalDevice,
  to: SignalDevice,
  text: Uint8Array<ArrayBuffer>,
): Promise<signal.CiphertextMessage> {
  return signal.signalEncrypt(text, to.address, from.address, from.sessions, from.identity)
}

function signalReceive(
  at: SignalDevice,
  from: SignalDevice,
  m: signal.CiphertextMessage,
): Promise<Uint8Array> {
  if (m.type() === signal.CiphertextMessageType.PreKey) {
    return signal.signalDecryptPreKey(
      signal.PreKeySignalMessage.deserialize(m.serialize()),
      from.address,
      at.address,
      at.sessions,
      at.identity,
      at.preKeys,
      at.signedPreKeys,
      at.kyberPreKeys,
    )
  }
  return signal.signalDecrypt(
    signal.SignalMessage.deserialize(m.serialize()),
    from.address,
    at.address,
    at.sessions,
    at.identity,
  )
}

const SIGNAL_PAYLOAD = new Uint8Array(100).fill(0x61)

function signalSetup(n: number): Batch {
  const alice = signalDevice('alice', 1)
  const bobs = Array.from({ length: n * RUNS }, (_, i) => {
    const bob = signalDevice(`bob${i}`, 2)
    return { bob, bundle: signalBundle(bob) }
  })
  let next = 0
  return async () => {
    for (let i = 0; i < n; i++) {
      const { bob, bundle } = bobs[next++]
      await signal.processPreKeyBundle(
        bundle,
        bob.address,
        alice.address,
        alice.sessions,
        alice.identity,
      )
      await signalReceive(bob, alice, await signalSend(alice, bob, SIGNAL_PAYLOAD))
    }
  }
}

async function signalPair(): Promise<[SignalDevice, SignalDevice]> {
  const alice = signalDevice('alice', 1)
  const bob = signalDevice('bob', 2)
  await signal.processPreKeyBundle(
    signalBundle(bob),
    bob.address,
    alice.address,
    alice.sessions,
    alice.identity,
  )
  await signalReceive(bob, alice, await signalSend(alice, bob, SIGNAL_PAYLOAD))
  await signalReceive(alice, bob, await signalSend(bob, alice, SIGNAL_PAYLOAD))
  return [alice, bob]
}

async function signalOneWay(n: number): Promise<Batch> {
  const [alice, bob] = await signalPair()
  return async () => {
    for (let i = 0; i < n; i++) {
      await signalReceive(bob, alice, await signalSend(alice, bob, SIGNAL_PAYLOAD))
    }
  }
}

async function signalPingPong(n: number): Promise<Batch> {
  const [alice, bob] = await signalPair()
  return async () => {
    for (let i = 0; i < n; i += 2) {
      await signalReceive(bob, alice, await signalSend(alice, bob, SIGNAL_PAYLOAD))
      await signalReceive(alice, bob, await signalSend(bob, alice, SIGNAL_PAYLOAD))
    }
  }
}

async function signalGroup(n: number): Promise<[Batch, Batch, Batch, Batch]> {
  const alice = signal.ProtocolAddress.new('alice', 1)
  const distributionId = 'd1b1b1b1-0000-4000-8000-000000000001'
  const aliceStore = new SenderKeys()
  const skdm = await signal.SenderKeyDistributionMessage.create(alice, distributionId, aliceStore)
  const messages: Uint8Array<ArrayBuffer>[] = []
  const encrypt = async () => {
    for (let i = 0; i < n; i++) {
      const m = await signal.groupEncrypt(alice, distributionId, aliceStore, SIGNAL_PAYLOAD)
      messages.push(m.serialize())
    }
  }
  const bobStore = new SenderKeys()
  await signal.processSenderKeyDistributionMessage(alice, skdm, bobStore)
  let next = 0
  const decrypt = async () => {
    for (let i = 0; i < n; i++) await signal.groupDecrypt(alice, bobStore, messages[next++])
  }
  // libsignal has no batch API: the second receiver reads one at a time as well.
  const carolStore = new SenderKeys()
  await signal.processSenderKeyDistributionMessage(alice, skdm, carolStore)
  let carolNext = 0
  const decryptAgain = async () => {
    for (let i = 0; i < n; i++) await signal.groupDecrypt(alice, carolStore, messages[carolNext++])
  }
  const daveStore = new SenderKeys()
  await signal.processSenderKeyDistributionMessage(alice, skdm, daveStore)
  let daveNext = 0
  const decryptThird = async () => {
    for (let i = 0; i < n; i++) await signal.groupDecrypt(alice, daveStore, messages[daveNext++])
  }
  return [encrypt, decrypt, decryptAgain, decryptThird]
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
      await signalSetup(setupN),
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
