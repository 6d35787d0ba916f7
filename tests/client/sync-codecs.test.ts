// Properties of the sync wire codecs: decode(encode(x)) = x, and arbitrary or mutated bytes never
// throw anything but a ConchError (distrustful decoders, docs/protocol/client.md).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { decodeControl, encodeControl } from '../../client/engine/control-message.ts'
import {
  decodeEnvelope,
  encodeEnvelope,
  encodeSignedPart,
  ZERO_HASH,
} from '../../client/sync/envelope.ts'
import { decodeFrame, encodeFrame, type SyncFrame } from '../../client/sync/frames.ts'
import {
  decodeChunk,
  decodeHistorySnapshot,
  encodeChunk,
  encodeHistorySnapshot,
} from '../../client/sync/history-snapshot.ts'

const id = fc.uint8Array({ minLength: 16, maxLength: 16 })
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 })
const bytes = fc.uint8Array({ maxLength: 300 })

const envelopeArb = fc.record({
  scheme: fc.integer({ min: 0, max: 255 }),
  channelId: id,
  epoch: fc.integer({ min: 0, max: 0xffffffff }),
  author: id,
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  prev: hash,
  body: bytes,
  signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
}).map((e) => (e.seq === 1 ? { ...e, prev: ZERO_HASH } : e))

const frameArb: fc.Arbitrary<SyncFrame> = fc.oneof(
  fc.record({ type: fc.constant(1 as const), device: id, bundle: bytes }),
  fc.record({
    type: fc.constant(2 as const),
    channelId: id,
    have: fc.array(fc.record({ author: id, seq: fc.nat() }), { maxLength: 5 }),
  }),
  fc.record({ type: fc.constant(3 as const), envelopes: fc.array(bytes, { maxLength: 4 }) }),
  fc.record({
    type: fc.constant(4 as const),
    to: id,
    from: id,
    hops: fc.integer({ min: 0, max: 8 }),
    payload: bytes,
  }),
  fc.record({
    type: fc.constant(5 as const),
    channelId: id,
    author: id,
    epoch: fc.integer({ min: 0, max: 0xffffffff }),
    requester: id,
    nonce: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    freshSession: fc.boolean(),
    bundle: bytes,
  }),
  fc.record({ type: fc.constant(6 as const), device: id, bundle: bytes }),
)

/** Any bytes: a result or a ConchError, never another exception. */
function distrusts(decode: (b: Uint8Array) => unknown, input: Uint8Array): void {
  try {
    decode(input)
  } catch (e) {
    expect(isConchError(e), String(e)).toBe(true)
  }
}

const mutated = (encoded: fc.Arbitrary<Uint8Array>) =>
  fc.tuple(encoded, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat()).map(
    ([b, at, xor, cut]) => {
      const copy = b.slice(0, b.length ? b.length - (cut % 3) : 0)
      if (copy.length) copy[at % copy.length] ^= xor
      return copy
    },
  )

describe('sync codecs', () => {
  it('envelope: round trip, and a hash over all of its bytes', () => {
    fc.assert(fc.property(envelopeArb, (e) => {
      const encoded = encodeEnvelope(encodeSignedPart(e, e.body), e.signature)
      const d = decodeEnvelope(encoded)
      expect(d.envelope).toEqual(e)
      expect(d.signedBytes.length).toBe(encoded.length - 64)
    }))
  })

  it('frames: round trip', () => {
    fc.assert(fc.property(frameArb, (f) => {
      expect(decodeFrame(encodeFrame(f))).toEqual(f)
    }))
  })

  it('control messages and snapshots: round trip', () => {
    fc.assert(fc.property(fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2>, id, bytes, (type, c, p) => {
      expect(decodeControl(encodeControl({ type, channelId: c, payload: p }))).toEqual({
        type,
        channelId: c,
        payload: p,
      })
    }))
    fc.assert(fc.property(
      fc.array(fc.record({ author: id, seq: fc.integer({ min: 1, max: 1e9 }), hash }), {
        maxLength: 4,
      }),
      bytes,
      (vector, doc) => {
        expect(decodeHistorySnapshot(encodeHistorySnapshot({ vector, doc }))).toEqual({
          vector,
          doc,
        })
      },
    ))
    const chunk = {
      snapshotId: new Uint8Array(8).fill(3),
      index: 2,
      total: 3,
      data: new Uint8Array(5),
    }
    expect(decodeChunk(encodeChunk(chunk))).toEqual(chunk)
    expect(() => decodeChunk(encodeChunk({ ...chunk, index: 3 }))).toThrow()
  })

  it('arbitrary and mutated bytes are refused with a ConchError, nothing else', () => {
    const decoders = [
      decodeEnvelope,
      decodeFrame,
      decodeControl,
      decodeChunk,
      decodeHistorySnapshot,
    ]
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      for (const decode of decoders) distrusts(decode, b)
    }))
    const encodedEnvelopes = envelopeArb.map((e) =>
      encodeEnvelope(encodeSignedPart(e, e.body), e.signature)
    )
    fc.assert(fc.property(mutated(encodedEnvelopes), (b) => distrusts(decodeEnvelope, b)))
    fc.assert(fc.property(mutated(frameArb.map(encodeFrame)), (b) => distrusts(decodeFrame, b)))
  })

  it('a first envelope must not name a predecessor; trailing bytes are refused', () => {
    const e = {
      scheme: 2,
      channelId: new Uint8Array(16),
      epoch: 0,
      author: new Uint8Array(16),
      seq: 1,
      prev: new Uint8Array(32).fill(1),
    }
    const bad = encodeEnvelope(encodeSignedPart(e, new Uint8Array(3)), new Uint8Array(64))
    expect(() => decodeEnvelope(bad)).toThrow(/predecessor/)
    const good = encodeEnvelope(
      encodeSignedPart({ ...e, prev: ZERO_HASH }, new Uint8Array(3)),
      new Uint8Array(64),
    )
    const trailing = new Uint8Array(good.length + 1)
    trailing.set(good)
    expect(() => decodeEnvelope(trailing)).toThrow()
  })
})
