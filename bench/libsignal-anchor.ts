// The anchor side of bench/crypto.bench.ts: @signalapp/libsignal-client (AGPL: used by the
// benchmark only, never by product code) with in-memory stores, driven through the same cases as
// Conch — session setup, 1:1 one way and ping-pong, sender-key group encrypt and decrypt. Each
// function returns batches of `n` operations for the side-by-side runner.

import * as signal from '@signalapp/libsignal-client'

export type Batch = () => Promise<void>

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

/** `runs` rounds of `n` sessions, each set up with a fresh responder. */
export function signalSetup(n: number, runs: number): Batch {
  const alice = signalDevice('alice', 1)
  const bobs = Array.from({ length: n * runs }, (_, i) => {
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

export async function signalOneWay(n: number): Promise<Batch> {
  const [alice, bob] = await signalPair()
  return async () => {
    for (let i = 0; i < n; i++) {
      await signalReceive(bob, alice, await signalSend(alice, bob, SIGNAL_PAYLOAD))
    }
  }
}

export async function signalPingPong(n: number): Promise<Batch> {
  const [alice, bob] = await signalPair()
  return async () => {
    for (let i = 0; i < n; i += 2) {
      await signalReceive(bob, alice, await signalSend(alice, bob, SIGNAL_PAYLOAD))
      await signalReceive(alice, bob, await signalSend(bob, alice, SIGNAL_PAYLOAD))
    }
  }
}

export async function signalGroup(n: number): Promise<[Batch, Batch, Batch, Batch]> {
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
