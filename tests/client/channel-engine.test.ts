// Stories for the channel engine over an in-process link: convergence, reconciliation after a
// partition, duplicate and tampered envelopes, and restore from storage.
import { describe, expect, it } from 'vitest'
import { sharedKeyChannelCipher } from '../../crypto/envelope/channel-cipher.ts'
import { ChannelEngine } from '../../client/engine/channel-engine.ts'
import { memoryStore } from '../../client/storage/memory-store.ts'
import type { EnvelopeStore } from '../../client/storage/envelope-store.ts'
import type { PeerLink } from '../../client/transport/peer-link.ts'
import { decodeFrame, encodeFrame, FRAME_ENVELOPES } from '../../client/sync/frames.ts'
import { seededRandom } from './seeded-random.ts'

const channelId = new Uint8Array(16).fill(7)
const secret = new Uint8Array(32).fill(9)

function device(seed: number, store: EnvelopeStore = memoryStore(), key = secret, boot = 0) {
  // The device id depends on the seed only; the random stream also on the boot count, as a
  // restarted device does not replay its earlier randomness.
  const deviceId = seededRandom(seed)(16)
  const random = seededRandom(seed * 1000 + boot + 1)
  return ChannelEngine.open({
    channelId,
    epoch: 0,
    cipher: sharedKeyChannelCipher(key, channelId, random),
    store,
    deviceId,
    clientId: seed,
    now: () => 1_700_000_000_000 + seed,
    random,
  })
}

/** A duplex in-process link; `cut()` simulates a partition (frames are lost, not queued). */
function connect(a: ChannelEngine, b: ChannelEngine) {
  let open = true
  const sent: Uint8Array[] = []
  const ab: PeerLink = {
    id: 'b',
    kind: 'memory',
    send: (f) => {
      sent.push(f)
      if (open) queueMicrotask(() => b.receive(ba, f))
    },
  }
  const ba: PeerLink = {
    id: 'a',
    kind: 'memory',
    send: (f) => {
      if (open) queueMicrotask(() => a.receive(ab, f))
    },
  }
  a.linkUp(ab)
  b.linkUp(ba)
  return {
    sentByA: sent,
    cut() {
      open = false
      a.linkDown(ab)
      b.linkDown(ba)
    },
  }
}

async function settle(...engines: ChannelEngine[]) {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0))
    await Promise.all(engines.map((e) => e.idle()))
  }
}

const texts = (e: ChannelEngine) => e.messages().map((m) => m.text)

describe('ChannelEngine', () => {
  it('Alice posts; Bob sees it, once', async () => {
    const alice = await device(1)
    const bob = await device(2)
    connect(alice, bob)
    alice.post('hello')
    await settle(alice, bob)
    expect(texts(bob)).toEqual(['hello'])
    expect(bob.stats.envelopesAccepted).toBe(1)
  })

  it('after a partition, both sides reconcile to the same history', async () => {
    const alice = await device(1)
    const bob = await device(2)
    const link = connect(alice, bob)
    alice.post('before')
    await settle(alice, bob)
    link.cut()
    alice.post('alice offline')
    bob.post('bob offline')
    await settle(alice, bob)
    expect(texts(alice)).not.toContain('bob offline')
    connect(alice, bob)
    await settle(alice, bob)
    expect(texts(alice)).toEqual(texts(bob))
    expect(texts(alice).sort()).toEqual(['alice offline', 'before', 'bob offline'])
  })

  it('a replayed envelope is counted as a duplicate and changes nothing', async () => {
    const alice = await device(1)
    const bob = await device(2)
    const link = connect(alice, bob)
    alice.post('once')
    await settle(alice, bob)
    const envFrame = link.sentByA.find((f) => decodeFrame(f).type === FRAME_ENVELOPES)!
    bob.receive({ id: 'x', kind: 'memory', send: () => {} }, envFrame)
    await settle(bob)
    expect(texts(bob)).toEqual(['once'])
    expect(bob.stats.duplicates).toBe(1)
  })

  it('a tampered envelope and a foreign-key envelope are rejected before they touch the document', async () => {
    const alice = await device(1)
    const mallory = await device(3, memoryStore(), new Uint8Array(32).fill(1))
    const bob = await device(2)
    const captured: Uint8Array[] = []
    const sink: PeerLink = { id: 's', kind: 'memory', send: (f) => captured.push(f) }
    alice.linkUp(sink)
    mallory.linkUp(sink)
    alice.post('genuine')
    mallory.post('forged')
    await settle(alice, mallory)
    const frames = captured.map(decodeFrame).filter((f) => f.type === FRAME_ENVELOPES)
    const [fromAlice, fromMallory] = frames.map((f) =>
      (f as { envelopes: Uint8Array[] }).envelopes[0]
    )
    const tampered = fromAlice.slice()
    tampered[tampered.length - 1] ^= 1
    const from: PeerLink = { id: 'm', kind: 'memory', send: () => {} }
    bob.receive(from, encodeFrame({ type: FRAME_ENVELOPES, envelopes: [tampered, fromMallory] }))
    bob.receive(from, new Uint8Array([1, 2, 3]))
    await settle(bob)
    expect(texts(bob)).toEqual([])
    expect(bob.stats.envelopesRejected).toBe(3)
    bob.receive(from, encodeFrame({ type: FRAME_ENVELOPES, envelopes: [fromAlice] }))
    await settle(bob)
    expect(texts(bob)).toEqual(['genuine'])
  })

  it('a restarted device restores its history from storage and continues its own sequence', async () => {
    const store = memoryStore()
    const alice = await device(1, store)
    alice.post('one')
    alice.post('two')
    await settle(alice)
    const restarted = await device(1, store, secret, 1)
    expect(texts(restarted)).toEqual(['one', 'two'])
    restarted.post('three')
    await settle(restarted)
    const bob = await device(2)
    connect(restarted, bob)
    await settle(restarted, bob)
    expect(texts(bob)).toEqual(['one', 'two', 'three'])
  })

  it('a message posted with nobody online is pending, then sent once a peer takes it, then read', async () => {
    const alice = await device(1)
    const bob = await device(2)
    alice.post('while alone')
    await settle(alice)
    expect(alice.messages().map((m) => m.delivery)).toEqual(['pending'])
    connect(alice, bob)
    await settle(alice, bob)
    expect(texts(bob)).toEqual(['while alone'])
    expect(alice.messages().map((m) => m.delivery)).toEqual(['sent'])
    bob.markRead(bob.messages()[0].hlc)
    await settle(alice, bob)
    expect(alice.messages().map((m) => m.delivery)).toEqual(['read'])
  })
})
