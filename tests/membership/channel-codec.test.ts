// The private-channel wire formats: public channels keep their old bytes, member lists have one
// encoding per meaning, and every truncated, flipped or hand-made bad body is a typed error.

import fc from 'fast-check'
import { Reader } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import {
  compareUserIds,
  decodeLogEntry,
  encodeLogEntryBody,
  type LogEntryBody,
  type LogEntryType,
  MAX_USER_IDS_PER_LIST,
  readLogEntryBody,
} from '../../crypto/membership/index.ts'
import { assert, assertEquals, assertThrowsCode } from './support/assert.ts'
import { hex, TestOrg } from './support/org-fixture.ts'

const CHANNEL = new Uint8Array(16).fill(0xcc)

function decodeBody(type: LogEntryType, bytes: Uint8Array): LogEntryBody {
  const r = new Reader(bytes)
  const body = readLogEntryBody(r, type)
  r.end()
  return body
}

/** A body written by hand, so bad encodings can be made on purpose. */
function rawMembers(add: string[], remove: string[]): Uint8Array {
  const w = new Writer(64).raw(CHANNEL).varuint(add.length)
  for (const u of add) w.string(u)
  w.varuint(remove.length)
  for (const u of remove) w.string(u)
  return w.finish()
}

Deno.test('a public channel encodes exactly as before private channels existed', () => {
  const body: LogEntryBody = {
    type: 'create-channel',
    channelId: CHANNEL,
    name: 'news',
    broadcast: true,
    archived: true,
  }
  // channelId, name as string(128), flags u8 = broadcast|archived: the version-1 grammar.
  const old = `${'cc'.repeat(16)}04${hex(new TextEncoder().encode('news'))}03`
  assertEquals(hex(encodeLogEntryBody(body)), old)
  assertEquals(decodeBody('create-channel', encodeLogEntryBody(body)), {
    ...body,
    private: false,
    members: [],
  })
  // Bytes after a public channel's flags are trailing garbage, not a member list.
  const withList = new Writer(32).raw(encodeLogEntryBody(body)).varuint(0).finish()
  assertThrowsCode(() => decodeBody('create-channel', withList), 'codec/trailing-bytes')
  // Bit 3 and above stay reserved.
  const reserved = encodeLogEntryBody(body)
  reserved[reserved.length - 1] |= 8
  assertThrowsCode(() => decodeBody('create-channel', reserved), 'codec/bad-value')
  let threw = false
  try {
    encodeLogEntryBody({ ...body, members: ['bob'] })
  } catch (e) {
    threw = e instanceof RangeError
  }
  assert(threw, 'a public channel cannot carry members')
})

const userId = fc.string({ unit: 'binary', minLength: 1, maxLength: 16 })
const userIds = fc.uniqueArray(userId, { maxLength: 12 })

Deno.test('property: private channels and membership changes round-trip in canonical form', () => {
  fc.assert(
    fc.property(userIds, userIds, fc.boolean(), (a, b, broadcast) => {
      const create: LogEntryBody = {
        type: 'create-channel',
        channelId: CHANNEL,
        name: 'board',
        broadcast,
        archived: false,
        private: true,
        members: a,
      }
      const bytes = encodeLogEntryBody(create)
      const sorted = [...a].sort(compareUserIds)
      assertEquals(decodeBody('create-channel', bytes), { ...create, members: sorted })
      // One encoding per meaning: the order (and repeats) the caller used do not show.
      assertEquals(
        hex(encodeLogEntryBody({ ...create, members: [...sorted, ...a].reverse() })),
        hex(bytes),
      )
      const remove = b.filter((u) => !a.includes(u))
      if (a.length + remove.length === 0) return
      const change: LogEntryBody = { type: 'channel-members', channelId: CHANNEL, add: a, remove }
      const decoded = decodeBody('channel-members', encodeLogEntryBody(change))
      assertEquals(decoded, { ...change, add: sorted, remove: remove.sort(compareUserIds) })
    }),
    { numRuns: 200, seed: 71 },
  )
})

Deno.test('non-canonical or meaningless member lists are refused by the decoder', () => {
  const refuse = (bytes: Uint8Array, code: 'codec/bad-value' | 'codec/too-long', why: string) =>
    assertThrowsCode(() => decodeBody('channel-members', bytes), code, why)
  decodeBody('channel-members', rawMembers(['a', 'b'], ['c'])) // the canonical form decodes
  refuse(rawMembers(['b', 'a'], []), 'codec/bad-value', 'unsorted')
  refuse(rawMembers(['a', 'a'], []), 'codec/bad-value', 'duplicate')
  refuse(rawMembers(['', 'a'], []), 'codec/bad-value', 'empty user id')
  refuse(rawMembers([], []), 'codec/bad-value', 'nothing to change')
  refuse(rawMembers(['a'], ['a']), 'codec/bad-value', 'both added and removed')
  refuse(rawMembers(['x'.repeat(65)], []), 'codec/too-long', 'user id over 64 bytes')
  // Sorted by UTF-8 bytes, not UTF-16 units: U+FF5E (ef bd 9e) sorts before U+1F600 (f0 9f ..),
  // although JavaScript's `<` says otherwise.
  decodeBody('channel-members', rawMembers(['\uff5e', '😀'], []))
  refuse(rawMembers(['😀', '\uff5e'], []), 'codec/bad-value', 'UTF-16 order')
  const many = Array.from({ length: MAX_USER_IDS_PER_LIST + 1 }, (_, i) => `u${1000 + i}`)
  refuse(rawMembers(many, []), 'codec/too-long', 'too many ids')
  const invalidUtf8 = new Writer(32).raw(CHANNEL).varuint(1).bytes(new Uint8Array([0xc3]))
    .varuint(0).finish()
  refuse(invalidUtf8, 'codec/bad-value', 'invalid UTF-8')
  for (const [add, remove] of [[[], []], [['a'], ['a']], [[''], []]]) {
    let threw = false
    try {
      encodeLogEntryBody({ type: 'channel-members', channelId: CHANNEL, add, remove })
    } catch (e) {
      threw = e instanceof RangeError
    }
    assert(threw, `the encoder refuses add=${add} remove=${remove}`)
  }
})

Deno.test('every truncation and every bit flip of a membership entry is a typed error or canonical', () => {
  const org = new TestOrg(72)
  const alice = org.appointAdmin('alice')
  const bodies: LogEntryBody[] = [
    {
      type: 'create-channel',
      channelId: CHANNEL,
      name: 'board',
      broadcast: false,
      archived: true,
      private: true,
      members: ['bob', 'carol', 'zoë'],
    },
    { type: 'channel-members', channelId: CHANNEL, add: ['dave', 'eve'], remove: ['bob'] },
  ]
  for (const body of bodies) {
    const entry = org.append(alice.secretKey, body)
    for (let n = 0; n < entry.bytes.length; n++) {
      assertThrowsCode(() => decodeLogEntry(entry.bytes.subarray(0, n)), 'codec/truncated')
    }
    const encoded = encodeLogEntryBody(body)
    let refused = 0
    for (let bit = 0; bit < encoded.length * 8; bit++) {
      const flipped = encoded.slice()
      flipped[bit >> 3] ^= 1 << (bit & 7)
      try {
        const decoded = decodeBody(body.type, flipped)
        // Whatever still decodes is itself canonical: it re-encodes to the very same bytes.
        assertEquals(hex(encodeLogEntryBody(decoded)), hex(flipped), `bit ${bit}`)
      } catch (e) {
        if (!isConchError(e)) throw new Error(`bit ${bit}: untyped ${String(e)}`)
        refused++
      }
    }
    assert(refused > 10, `${body.type}: flips are mostly refused (${refused})`)
  }
})
