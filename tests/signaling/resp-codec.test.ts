// The RESP parser reassembles replies however TCP splits them, and refuses nonsense.

import { deepStrictEqual as assertEquals, throws } from 'node:assert/strict'
import fc from 'fast-check'
import {
  encodeCommand,
  RespError,
  RespParser,
  RespProtocolError,
  type RespValue,
} from '../../signaling/src/redis/resp-codec.ts'

const encoder = new TextEncoder()

function encodeReply(v: RespValue): string {
  if (v === null) return '$-1\r\n'
  if (typeof v === 'number') return `:${v}\r\n`
  if (v instanceof RespError) return `-${v.message}\r\n`
  if (Array.isArray(v)) return `*${v.length}\r\n${v.map(encodeReply).join('')}`
  return `$${encoder.encode(v).length}\r\n${v}\r\n`
}

const reply: fc.Arbitrary<RespValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme' }),
    fc.integer(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value as fc.Arbitrary<RespValue>

Deno.test('any sequence of replies, cut into any chunks, parses back to the same replies', () => {
  fc.assert(
    fc.property(
      fc.array(reply, { maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      (replies, cuts) => {
        const bytes = encoder.encode(replies.map(encodeReply).join(''))
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
        const parser = new RespParser()
        const out: RespValue[] = []
        let from = 0
        for (const to of [...points, bytes.length]) {
          parser.push(bytes.subarray(from, to))
          from = to
          let v: RespValue | undefined
          while ((v = parser.next()) !== undefined) out.push(v)
        }
        assertEquals(out, replies)
      },
    ),
    { seed: 7, numRuns: 300 },
  )
})

Deno.test('commands are arrays of bulk strings; errors and bad types are reported', () => {
  assertEquals(
    new TextDecoder().decode(encodeCommand(['PUBLISH', 'ch', 'héllo'])),
    '*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$6\r\nhéllo\r\n',
  )
  const parser = new RespParser()
  parser.push(encoder.encode('-ERR wrong\r\n+OK\r\n'))
  assertEquals(parser.next(), new RespError('ERR wrong'))
  assertEquals(parser.next(), 'OK')
  parser.push(encoder.encode('?what\r\n'))
  throws(() => parser.next(), RespProtocolError)
  const huge = new RespParser()
  huge.push(encoder.encode('$99999999999\r\n'))
  throws(() => huge.next(), RespProtocolError)
})
