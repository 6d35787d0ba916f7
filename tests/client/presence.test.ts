// Typing and presence: ephemeral signals between directly linked devices — shown while fresh,
// gone when switched off, after the TTL, or when the link drops; never stored or relayed.
import { describe, expect, it } from 'vitest'
import { sharedKeyChannelCipher } from '../../crypto/envelope/channel-cipher.ts'
import { ChannelEngine } from '../../client/engine/channel-engine.ts'
import { TYPING_TTL_MS } from '../../client/engine/channel-presence.ts'
import { memoryStore } from '../../client/storage/memory-store.ts'
import { decodeFrame, encodeFrame, FRAME_TYPING } from '../../client/sync/frames.ts'
import type { PeerLink } from '../../client/transport/peer-link.ts'
import { seededRandom } from './seeded-random.ts'

const channelId = new Uint8Array(16).fill(7)
let clock = 1_700_000_000_000

function device(seed: number) {
  const random = seededRandom(seed)
  return ChannelEngine.open({
    channelId,
    epoch: 0,
    cipher: sharedKeyChannelCipher(new Uint8Array(32).fill(9), channelId, random),
    store: memoryStore(),
    deviceId: seededRandom(seed + 100)(16),
    clientId: seed,
    now: () => clock,
    random,
  })
}

function connect(a: ChannelEngine, b: ChannelEngine) {
  const frames: Uint8Array[] = []
  // Delivery is asynchronous, as on a real transport: both ends are up before frames arrive.
  const ab: PeerLink = {
    id: 'b',
    kind: 'memory',
    send: (f) => (frames.push(f), queueMicrotask(() => b.receive(ba, f))),
  }
  const ba: PeerLink = {
    id: 'a',
    kind: 'memory',
    send: (f) => queueMicrotask(() => a.receive(ab, f)),
  }
  a.linkUp(ab)
  b.linkUp(ba)
  return { frames, drop: () => (a.linkDown(ab), b.linkDown(ba)) }
}

const settle = async (...es: ChannelEngine[]) => {
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 0))
    await Promise.all(es.map((e) => e.idle()))
  }
}

describe('typing and presence', () => {
  it('Bob sees Alice typing until she stops, and the signal lapses on its own', async () => {
    const alice = await device(1)
    const bob = await device(2)
    const { frames } = connect(alice, bob)
    await settle(alice, bob)
    expect(bob.present()).toEqual([alice.deviceIdHex])
    expect(alice.present()).toEqual([bob.deviceIdHex])

    alice.setTyping(true)
    await settle(alice, bob)
    expect(bob.typing()).toEqual([alice.deviceIdHex])
    expect(alice.typing()).toEqual([])
    alice.setTyping(false)
    await settle(alice, bob)
    expect(bob.typing()).toEqual([])

    alice.setTyping(true)
    await settle(alice, bob)
    expect(bob.typing()).toEqual([alice.deviceIdHex])
    clock += TYPING_TTL_MS + 1
    expect(bob.typing()).toEqual([])
    // Ephemeral: nothing reached the document or the envelope log.
    expect(bob.messages()).toEqual([])
    expect(frames.map((f) => decodeFrame(f).type)).toContain(FRAME_TYPING)
  })

  it('a dropped link takes presence and typing with it', async () => {
    const alice = await device(3)
    const bob = await device(4)
    const link = connect(alice, bob)
    await settle(alice, bob)
    alice.setTyping(true)
    await settle(alice, bob)
    expect(bob.typing()).toEqual([alice.deviceIdHex])
    link.drop()
    expect(bob.present()).toEqual([])
    expect(bob.typing()).toEqual([])
  })

  it('a typing frame for another channel, or a malformed one, changes nothing', async () => {
    const alice = await device(5)
    const bob = await device(6)
    connect(alice, bob)
    await settle(alice, bob)
    const from: PeerLink = { id: 'a', kind: 'memory', send: () => {} }
    const other = encodeFrame({ type: FRAME_TYPING, channelId: new Uint8Array(16), typing: true })
    bob.receive(from, other)
    const bad = encodeFrame({ type: FRAME_TYPING, channelId, typing: true })
    bad[bad.length - 1] = 2
    bob.receive(from, bad)
    await settle(bob)
    expect(bob.typing()).toEqual([])
    expect(bob.stats.rejectedByReason['malformed-frame']).toBe(1)
  })
})
