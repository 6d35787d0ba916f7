// The mailbox's bounds: it keeps what devices lack, answers HAVE vectors exactly, and forgets
// the oldest first when it is too full or too old — with metrics that say so.
import { describe, expect, it } from 'vitest'
import { BlindMailbox } from '../../../client/headless/blind-mailbox.ts'
import { encodeJournalRecord, replayJournal } from '../../../client/headless/mailbox-journal.ts'
import { decodeEnvelope } from '../../../client/sync/envelope.ts'
import { authorChain, CHANNEL_ID } from './support/signed-envelope.ts'
import { TestOrg } from './support/test-org.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

async function chainOf(n: number, seed: number) {
  const org = new TestOrg(seed)
  const device = org.issue('alice')
  const next = authorChain(device)
  const out = []
  for (let i = 0; i < n; i++) out.push(decodeEnvelope(await next(`m${i}`)))
  return { device, envelopes: out }
}

describe('blind mailbox', () => {
  it('answers a HAVE vector with exactly what is missing, in order, and counts duplicates', async () => {
    const { device, envelopes } = await chainOf(5, 1)
    const box = new BlindMailbox()
    for (const e of [envelopes[3], envelopes[0], envelopes[1], envelopes[4]]) box.putEnvelope(e, 0)
    expect(box.putEnvelope(envelopes[0], 1)).toBe(false)
    // Seq 3 is missing: the contiguous vector stops at 2.
    expect(box.haveVector(hex(CHANNEL_ID))).toEqual([{ author: device.deviceId, seq: 2 }])
    const missing = box.missing(hex(CHANNEL_ID), [{ author: device.deviceId, seq: 1 }])
    expect(missing.map((b) => decodeEnvelope(b).envelope.seq)).toEqual([2, 4, 5])
    expect(box.metrics).toMatchObject({ envelopesHeld: 4, duplicates: 1, served: 3, channels: 1 })
  })

  it('evicts by age since receipt, oldest first', async () => {
    const { envelopes } = await chainOf(3, 2)
    const box = new BlindMailbox({ maxBytes: 1 << 20, maxAgeMs: 1000, maxDirectPerDevice: 10 })
    box.putEnvelope(envelopes[0], 0)
    box.putEnvelope(envelopes[1], 600)
    box.putEnvelope(envelopes[2], 1200)
    expect(box.metrics).toMatchObject({ envelopesHeld: 2, evictedByAge: 1 })
    box.expire(1700)
    expect(box.metrics).toMatchObject({ envelopesHeld: 1, evictedByAge: 2 })
  })

  it('stays under its byte bound by dropping the oldest', async () => {
    const { envelopes } = await chainOf(10, 3)
    const size = envelopes[0].bytes.length
    const box = new BlindMailbox({ maxBytes: size * 4, maxAgeMs: 1e9, maxDirectPerDevice: 10 })
    envelopes.forEach((e, i) => box.putEnvelope(e, i))
    expect(box.metrics.bytesHeld).toBeLessThanOrEqual(size * 4 + 8)
    expect(box.metrics.evictedBySize).toBe(10 - box.metrics.envelopesHeld)
    const seqs = box.missing(hex(CHANNEL_ID), []).map((b) => decodeEnvelope(b).envelope.seq)
    expect(seqs).toEqual(
      seqs.length ? [...Array(seqs.length)].map((_, i) => 11 - seqs.length + i) : [],
    )
  })

  it('holds pairwise frames for an absent device and hands them over once', () => {
    const box = new BlindMailbox({ maxBytes: 1 << 20, maxAgeMs: 1e9, maxDirectPerDevice: 2 })
    for (const b of [1, 2, 3]) box.putDirect('bob', new Uint8Array([b]), b)
    expect(box.metrics).toMatchObject({ directHeld: 2, directDropped: 1 })
    expect(box.takeDirect('bob')).toEqual([new Uint8Array([2]), new Uint8Array([3])])
    expect(box.takeDirect('bob')).toEqual([])
    expect(box.metrics).toMatchObject({ directHeld: 0, bytesHeld: 0, directDelivered: 2 })
  })
})

describe('mailbox journal', () => {
  it('replays what was held, with arrival times, and ignores a torn last record', async () => {
    const { envelopes } = await chainOf(3, 4)
    const magic = new TextEncoder().encode('conch-mailbox/1\n')
    const records = [
      ...envelopes.map((e, i) =>
        encodeJournalRecord({ kind: 'envelope', to: undefined, bytes: e.bytes, at: 100 + i })
      ),
      encodeJournalRecord({
        kind: 'direct',
        to: 'ab'.repeat(16),
        bytes: new Uint8Array([7]),
        at: 5,
      }),
    ]
    const whole = new Uint8Array([...magic, ...records.flatMap((r) => [...r])])
    const torn = whole.subarray(0, whole.length - 3)
    const box = new BlindMailbox({ maxBytes: 1 << 20, maxAgeMs: 1000, maxDirectPerDevice: 10 })
    expect(replayJournal(torn, box)).toBe(3)
    expect(box.metrics).toMatchObject({ envelopesHeld: 3, directHeld: 0 })
    expect([...box.held()].map((h) => h.at)).toEqual([100, 101, 102])
    // Arrival times survive the restart: the age bound still counts from the first arrival.
    box.expire(1101)
    expect(box.metrics.envelopesHeld).toBe(2)
    const again = new BlindMailbox()
    expect(replayJournal(whole, again)).toBe(4)
    expect(again.takeDirect('ab'.repeat(16))).toEqual([new Uint8Array([7])])
    expect(replayJournal(new TextEncoder().encode('not a journal'), new BlindMailbox())).toBe(0)
  })
})
