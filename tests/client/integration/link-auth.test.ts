// Stories for link authentication: who may talk to whom is decided by certificates and
// signatures inside the link, never by the transport or by signaling.
import { describe, expect, it } from 'vitest'
import { utf8 } from '../../../crypto/codec/bytes.ts'
import {
  type AuthenticatedLink,
  authenticateLinks,
  type LinkAuthenticator,
  type LinkRejection,
} from '../../../client/transport/link-auth.ts'
import { sdpFingerprintDigest } from '../../../client/transport/dtls-binding.ts'
import type { LinkBinding, LinkEvents, PeerLink } from '../../../client/transport/peer-link.ts'
import { seededRandom, type TestDevice, TestOrg } from './support/test-org.ts'

/** What the engine would see: links that came up, went down, and frames per link. */
function engineSpy() {
  const up: AuthenticatedLink[] = []
  const down: PeerLink[] = []
  const frames: string[] = []
  const events: LinkEvents = {
    up: (l) => up.push(l as AuthenticatedLink),
    down: (l) => down.push(l),
    frame: (_l, b) => frames.push(new TextDecoder().decode(b)),
  }
  return { up, down, frames, events }
}

function peer(
  org: TestOrg,
  device: TestDevice,
  seed: number,
  extra: { timers?: (() => void)[] } = {},
) {
  const engine = engineSpy()
  const rejected: LinkRejection[] = []
  const auth = authenticateLinks(engine.events, {
    anchor: org.anchor,
    orgState: () => org.state(),
    credential: device.credential,
    signingSecretKey: device.signing.secretKey,
    now: () => org.now,
    random: seededRandom(seed, 0x6c696e6b),
    onRejected: (_l, reason) => rejected.push(reason),
    setTimer: extra.timers
      ? (fn) => {
        extra.timers!.push(fn)
        return () => {}
      }
      : undefined,
  })
  return { engine, auth, rejected }
}

/**
 * Two in-process raw links, delivered asynchronously and in order; `onWire` sees every frame.
 * With `relayed`, each end has its own connection (to a relay in the middle): closing one end
 * does not close the other.
 */
function wire(
  a: LinkAuthenticator,
  b: LinkAuthenticator,
  options: {
    bindings?: { a: LinkBinding; b: LinkBinding }
    onWire?: (from: 'a' | 'b', f: Uint8Array) => void
    relayed?: boolean
  } = {},
) {
  let aOpen = true
  let bOpen = true
  const closeA = () => {
    if (aOpen) a.events.down(toB)
    aOpen = false
  }
  const closeB = () => {
    if (bOpen) b.events.down(toA)
    bOpen = false
  }
  const close = () => {
    closeA()
    closeB()
  }
  const toB: PeerLink = {
    id: 'b',
    kind: 'memory',
    binding: options.bindings?.a,
    send: (f) => {
      options.onWire?.('a', f)
      if (aOpen) queueMicrotask(() => bOpen && b.events.frame(toA, f))
    },
    close: options.relayed ? closeA : close,
  }
  const toA: PeerLink = {
    id: 'a',
    kind: 'memory',
    binding: options.bindings?.b,
    send: (f) => {
      options.onWire?.('b', f)
      if (bOpen) queueMicrotask(() => aOpen && a.events.frame(toB, f))
    },
    close: options.relayed ? closeB : close,
  }
  a.events.up(toB)
  b.events.up(toA)
  return { close, isOpen: () => aOpen && bOpen }
}

const settle = () => new Promise((r) => setTimeout(r, 10))

describe('link authentication', () => {
  it('Alice and Bob prove their certificates; then the link carries engine frames untouched', async () => {
    const org = new TestOrg(1)
    const alice = peer(org, org.issue('alice'), 1)
    const bob = peer(org, org.issue('bob'), 2)
    wire(alice.auth, bob.auth)
    await settle()
    expect(alice.engine.up.map((l) => l.identity.userId)).toEqual(['bob'])
    expect(bob.engine.up.map((l) => l.identity.userId)).toEqual(['alice'])
    alice.engine.up[0].send(utf8('HAVE from alice'))
    await settle()
    expect(bob.engine.frames).toEqual(['HAVE from alice'])
    expect(alice.auth.stats.authenticated).toBe(1)
  })

  it('a revoked device is refused, and the engine never sees its link', async () => {
    const org = new TestOrg(2)
    const bobDevice = org.issue('bob')
    const malloryDevice = org.issue('mallory')
    org.revoke(malloryDevice)
    const bob = peer(org, bobDevice, 1)
    const mallory = peer(org, malloryDevice, 2)
    const link = wire(bob.auth, mallory.auth)
    await settle()
    expect(bob.rejected).toEqual(['membership/revoked'])
    expect(bob.engine.up).toEqual([])
    expect(link.isOpen()).toBe(false)
  })

  it('a device of another org is refused as foreign', async () => {
    const org = new TestOrg(3)
    const other = new TestOrg(4)
    const bob = peer(org, org.issue('bob'), 1)
    const eve = peer(other, other.issue('eve'), 2)
    wire(bob.auth, eve.auth)
    await settle()
    expect(bob.rejected).toEqual(['membership/foreign-org'])
    expect(bob.engine.up).toEqual([])
  })

  it('a man in the middle who relays the handshake between two connections is refused at both ends', async () => {
    // Mallory (say, a hostile signaling server) terminates DTLS with each side and relays
    // frames: Alice sees Mallory's fingerprint M1, Bob sees M2. Both proofs bind what their
    // signer saw, so neither verifies at the other end.
    const org = new TestOrg(5)
    const alice = peer(org, org.issue('alice'), 1)
    const bob = peer(org, org.issue('bob'), 2)
    const fp = (s: string) => sdpFingerprintDigest(`a=fingerprint:sha-256 ${s}\r\n`)!
    // Relayed: the frames cross before either side's verdict closes its own connection.
    let delivered = 0
    wire(alice.auth, bob.auth, {
      relayed: true,
      onWire: () => delivered++,
      bindings: {
        a: { local: fp('AA:01'), remote: fp('CC:01') },
        b: { local: fp('BB:02'), remote: fp('CC:02') },
      },
    })
    await settle()
    expect(alice.rejected).toEqual(['crypto/bad-signature'])
    expect(bob.rejected).toEqual(['crypto/bad-signature'])
    expect(alice.engine.up.length + bob.engine.up.length).toBe(0)
    expect(delivered).toBe(4)
  })

  it('with matching bindings (a direct connection) the same pair authenticates', async () => {
    const org = new TestOrg(6)
    const alice = peer(org, org.issue('alice'), 1)
    const bob = peer(org, org.issue('bob'), 2)
    const a = sdpFingerprintDigest('a=fingerprint:sha-256 aa:01\r\n')!
    const b = sdpFingerprintDigest('a=fingerprint:SHA-256 BB:02\r\n')!
    wire(alice.auth, bob.auth, {
      bindings: { a: { local: a, remote: b }, b: { local: b, remote: a } },
    })
    await settle()
    expect(alice.engine.up.length).toBe(1)
    expect(bob.engine.up.length).toBe(1)
  })

  it('a proof recorded on one connection does not open another (fresh nonces)', async () => {
    const org = new TestOrg(7)
    const aliceDevice = org.issue('alice')
    const alice = peer(org, aliceDevice, 1)
    const bob = peer(org, org.issue('bob'), 2)
    const recorded: Uint8Array[] = []
    wire(alice.auth, bob.auth, { onWire: (from, f) => from === 'a' && recorded.push(f) })
    await settle()
    expect(bob.engine.up.length).toBe(1)
    // Mallory replays Alice's hello and proof to Bob on a new connection.
    const bob2 = peer(org, org.issue('bob-laptop'), 3)
    const replay: PeerLink = { id: 'mallory', kind: 'memory', send: () => {}, close: () => {} }
    bob2.auth.events.up(replay)
    for (const f of recorded.slice(0, 2)) bob2.auth.events.frame(replay, f)
    expect(bob2.rejected).toEqual(['crypto/bad-signature'])
    expect(bob2.engine.up).toEqual([])
  })

  it('bytes that are not a handshake frame close the link before anything reaches the engine', () => {
    const org = new TestOrg(8)
    const bob = peer(org, org.issue('bob'), 1)
    const raw: PeerLink = { id: 'x', kind: 'memory', send: () => {}, close: () => {} }
    bob.auth.events.up(raw)
    bob.auth.events.frame(raw, utf8('\x01\x02 a HAVE frame, too early'))
    bob.auth.events.frame(raw, utf8('more'))
    expect(bob.rejected).toEqual(['protocol'])
    expect(bob.engine.frames).toEqual([])
  })

  it('a peer that never proves anything is dropped when the handshake times out', () => {
    const org = new TestOrg(9)
    const timers: (() => void)[] = []
    const bob = peer(org, org.issue('bob'), 1, { timers })
    let closed = false
    bob.auth.events.up({ id: 'x', kind: 'memory', send: () => {}, close: () => closed = true })
    timers.forEach((t) => t())
    expect(bob.rejected).toEqual(['timeout'])
    expect(closed).toBe(true)
  })

  it('when Alice is revoked while connected, revalidation drops her link', async () => {
    const org = new TestOrg(10)
    const aliceDevice = org.issue('alice')
    const alice = peer(org, aliceDevice, 1)
    const bob = peer(org, org.issue('bob'), 2)
    const link = wire(alice.auth, bob.auth)
    await settle()
    expect(bob.auth.links().length).toBe(1)
    expect(bob.auth.revalidate()).toBe(0)
    org.revoke(aliceDevice)
    expect(bob.auth.revalidate()).toBe(1)
    expect(bob.engine.down.map((l) => (l as AuthenticatedLink).identity.userId)).toEqual(['alice'])
    expect(bob.auth.links()).toEqual([])
    expect(link.isOpen()).toBe(false)
  })
})
