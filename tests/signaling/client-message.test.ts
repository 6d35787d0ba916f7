// Client frames: y-webrtc's four messages, Conch's auth and org-log-request; junk is refused.

import { deepStrictEqual as assertEquals, throws } from 'node:assert/strict'
import fc from 'fast-check'
import {
  BadFrameError,
  isValidTopic,
  parseClientMessage,
} from '../../signaling/src/client-message.ts'
import { TokenBucket } from '../../signaling/src/token-bucket.ts'

Deno.test('publish keeps every field so it can be re-broadcast unchanged', () => {
  const m = parseClientMessage('{"type":"publish","topic":"r","data":{"to":"x"},"extra":1}')
  assertEquals(m, {
    type: 'publish',
    topic: 'r',
    message: { type: 'publish', topic: 'r', data: { to: 'x' }, extra: 1 },
  })
  assertEquals(parseClientMessage('{"type":"future-thing"}'), { type: 'unknown' })
})

Deno.test('frames that are not JSON objects with a string type are bad frames', () => {
  for (const text of ['', 'null', '[]', '"x"', '{"type":1}', '{"type":"publish","topic":5}']) {
    throws(() => parseClientMessage(text), BadFrameError, text)
  }
  throws(() =>
    parseClientMessage('{"type":"auth","challenge":"a b","credential":"","signature":""}')
  )
  throws(() => parseClientMessage('{"type":"org-log-request","heads":["zz"]}'))
})

Deno.test('no string makes the parser throw anything but BadFrameError', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
      try {
        parseClientMessage(text)
      } catch (e) {
        if (!(e instanceof BadFrameError)) throw e
      }
    }),
    { seed: 11, numRuns: 500 },
  )
})

Deno.test('topics: hashes outside open mode, bounded strings in open mode', () => {
  assertEquals(isValidTopic('a'.repeat(64), false), true)
  assertEquals(isValidTopic('A'.repeat(64), false), false)
  assertEquals(isValidTopic('room', false), false)
  assertEquals(isValidTopic('room', true), true)
  assertEquals(isValidTopic('', true), false)
  assertEquals(isValidTopic('r'.repeat(513), true), false)
})

Deno.test('the token bucket allows a burst, then the sustained rate', () => {
  const bucket = new TokenBucket(10, 3, 0)
  assertEquals([1, 2, 3, 4].map(() => bucket.take(0)), [true, true, true, false])
  assertEquals(bucket.take(99), false) // 0.99 tokens
  assertEquals(bucket.take(100), true) // one more after 100 ms at 10/s
  assertEquals(bucket.take(100_000), true)
})
