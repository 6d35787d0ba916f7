// The server-side WebSocket frame parser: any valid client frame sequence, cut anywhere, yields
// the same messages; every malformed or oversized input is a FrameError, never a crash.

import { deepStrictEqual as assertEquals, throws } from 'node:assert/strict'
import fc from 'fast-check'
import {
  encodeCloseFrame,
  encodeFrame,
  FrameError,
  type FrameEvent,
  FrameParser,
  OPCODE_BINARY,
  OPCODE_CONTINUATION,
  OPCODE_PING,
  OPCODE_TEXT,
} from '../../signaling/src/websocket/websocket-frames.ts'

/** A masked client frame, as RFC 6455 §5.3 requires of clients. */
function clientFrame(fin: boolean, opcode: number, payload: Uint8Array, mask: Uint8Array) {
  const server = encodeFrame(opcode, payload)
  const headerLength = server.length - payload.length
  const out = new Uint8Array(server.length + 4)
  out.set(server.subarray(0, headerLength))
  out[0] = (fin ? 0x80 : 0) | opcode
  out[1] |= 0x80
  out.set(mask, headerLength)
  for (let i = 0; i < payload.length; i++) out[headerLength + 4 + i] = payload[i] ^ mask[i & 3]
  return out
}

const enc = new TextEncoder()
const mask = fc.uint8Array({ minLength: 4, maxLength: 4 })
const message = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), text: fc.string({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('binary' as const), bytes: fc.uint8Array({ maxLength: 70_000 }) }),
  fc.record({ kind: fc.constant('ping' as const), bytes: fc.uint8Array({ maxLength: 125 }) }),
)

Deno.test('fragmented, masked messages cut into any chunks parse back to the same events', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(message, fc.integer({ min: 1, max: 3 }), mask), { maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      (messages, cuts) => {
        const frames: Uint8Array[] = []
        const expected: FrameEvent[] = []
        for (const [m, parts, k] of messages) {
          if (m.kind === 'ping') {
            frames.push(clientFrame(true, OPCODE_PING, m.bytes, k))
            expected.push({ type: 'ping', payload: m.bytes })
            continue
          }
          const bytes = m.kind === 'text' ? enc.encode(m.text) : m.bytes
          const step = Math.ceil(bytes.length / parts) || 1
          const pieces = []
          for (let at = 0; at < bytes.length || pieces.length === 0; at += step) {
            pieces.push(bytes.subarray(at, at + step))
          }
          pieces.forEach((p, i) =>
            frames.push(clientFrame(
              i === pieces.length - 1,
              i === 0 ? (m.kind === 'text' ? OPCODE_TEXT : OPCODE_BINARY) : OPCODE_CONTINUATION,
              p,
              k,
            ))
          )
          expected.push(
            m.kind === 'text' ? { type: 'text', text: m.text } : { type: 'binary', payload: bytes },
          )
        }
        let size = 0
        for (const f of frames) size += f.length
        const all = new Uint8Array(size)
        let at = 0
        for (const f of frames) {
          all.set(f, at)
          at += f.length
        }
        const parser = new FrameParser(100_000)
        const events: FrameEvent[] = []
        let from = 0
        const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b)
        for (const to of [...points, all.length]) {
          events.push(...parser.push(all.slice(from, to)))
          from = to
        }
        assertEquals(events, expected)
      },
    ),
    { seed: 5, numRuns: 200 },
  )
})

Deno.test('the parser keeps none of the bytes it was given: a socket may reuse its read buffer', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.string({ maxLength: 200 }), fc.boolean(), mask), { maxLength: 6 }),
      fc.integer({ min: 1, max: 64 }),
      (messages, readSize) => {
        const frames: Uint8Array[] = []
        for (const [text, fragmented, k] of messages) {
          const bytes = enc.encode(text)
          if (!fragmented) frames.push(clientFrame(true, OPCODE_TEXT, bytes, k))
          else {
            const half = bytes.length >> 1
            frames.push(clientFrame(false, OPCODE_TEXT, bytes.subarray(0, half), k))
            frames.push(clientFrame(true, OPCODE_CONTINUATION, bytes.subarray(half), k))
          }
        }
        const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0))
        frames.reduce((at, f) => (stream.set(f, at), at + f.length), 0)
        // One buffer for every read, scribbled over as soon as the parser returns.
        const buffer = new Uint8Array(readSize)
        const parser = new FrameParser(100_000)
        const texts: string[] = []
        for (let at = 0; at < stream.length; at += readSize) {
          const n = Math.min(readSize, stream.length - at)
          buffer.set(stream.subarray(at, at + n))
          for (const e of parser.push(buffer.subarray(0, n))) {
            if (e.type === 'text') texts.push(e.text)
          }
          buffer.fill(0xff)
        }
        assertEquals(texts, messages.map(([text]) => text))
      },
    ),
    { seed: 11, numRuns: 300 },
  )
})

Deno.test('malformed client frames are protocol errors; big ones are too-large', () => {
  const k = new Uint8Array([1, 2, 3, 4])
  const kindOf = (bytes: Uint8Array, max = 1000) => {
    try {
      new FrameParser(max).push(bytes)
      return 'ok'
    } catch (e) {
      if (e instanceof FrameError) return e.kind
      throw e
    }
  }
  const unmasked = encodeFrame(OPCODE_TEXT, enc.encode('hi'))
  assertEquals(kindOf(unmasked), 'protocol')
  const reserved = clientFrame(true, OPCODE_TEXT, enc.encode('hi'), k)
  reserved[0] |= 0x40
  assertEquals(kindOf(reserved), 'protocol')
  assertEquals(kindOf(clientFrame(true, 0x3, new Uint8Array(1), k)), 'protocol')
  assertEquals(kindOf(clientFrame(false, OPCODE_PING, new Uint8Array(1), k)), 'protocol')
  assertEquals(kindOf(clientFrame(true, OPCODE_PING, new Uint8Array(126), k)), 'protocol')
  assertEquals(kindOf(clientFrame(true, OPCODE_CONTINUATION, new Uint8Array(1), k)), 'protocol')
  assertEquals(kindOf(clientFrame(true, OPCODE_TEXT, new Uint8Array([0xff, 0xfe]), k)), 'bad-utf8')
  // The header alone announces too much: refused before the payload is buffered.
  assertEquals(
    kindOf(clientFrame(true, OPCODE_TEXT, new Uint8Array(2000), k).subarray(0, 8)),
    'too-large',
  )
  const huge = new Uint8Array([0x81, 0xff, 0, 0, 0, 1, 0, 0, 0, 0])
  assertEquals(kindOf(huge), 'too-large')
  // Fragments count towards the limit together.
  const first = clientFrame(false, OPCODE_TEXT, new Uint8Array(600).fill(97), k)
  const second = clientFrame(true, OPCODE_CONTINUATION, new Uint8Array(600).fill(97), k)
  const both = new Uint8Array(first.length + second.length)
  both.set(first)
  both.set(second, first.length)
  assertEquals(kindOf(both), 'too-large')
})

Deno.test('random bytes never make the parser throw anything but FrameError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      try {
        new FrameParser(1000).push(bytes)
      } catch (e) {
        if (!(e instanceof FrameError)) throw e
      }
    }),
    { seed: 9, numRuns: 1000 },
  )
})

Deno.test('close frames carry the code and a reason of at most 123 bytes', () => {
  const frame = encodeCloseFrame(4434, 'revoked')
  assertEquals([...frame.subarray(0, 4)], [0x88, 9, 4434 >> 8, 4434 & 0xff])
  assertEquals(encodeCloseFrame(1000, 'x'.repeat(500)).length, 2 + 2 + 123)
  throws(() =>
    new FrameParser(10).push(clientFrame(true, 0x8, new Uint8Array(1), new Uint8Array(4)))
  )
})
