// Stories for org-mode channels: Sender Keys over pairwise sessions, signed and hash-chained
// envelopes, the document model (edits, reactions, threads, receipts) and restart.
import { describe, expect, it } from 'vitest'
import { memoryRawStore } from '../../client/storage/memory-raw-store.ts'
import { connect, settle } from './in-process-link.ts'
import { OrgWorld } from './org-world.ts'

const texts = (e: { messages(): { text: string }[] }) => e.messages().map((m) => m.text)

describe('org channel', () => {
  it('Alice posts; Bob, who never held a key before, reads it once', async () => {
    const world = await OrgWorld.create(1)
    await world.addDevice('alice')
    await world.addDevice('bob')
    const alice = await world.open('alice')
    const bob = await world.open('bob')
    connect(alice, bob)
    await settle(alice, bob)
    alice.post('hello')
    await settle(alice, bob)
    expect(texts(bob)).toEqual(['hello'])
    expect(bob.stats.envelopesAccepted).toBe(1)
    expect(bob.stats.envelopesRejected).toBe(0)
  })

  it('edits, reactions, thread replies, deletions and receipts stay with their authors', async () => {
    const world = await OrgWorld.create(2)
    await world.addDevice('alice')
    await world.addDevice('bob')
    const alice = await world.open('alice')
    const bob = await world.open('bob')
    connect(alice, bob)
    const id = alice.post('lunch?')
    await settle(alice, bob)
    bob.react(id, '👍', true)
    const reply = bob.post('yes', { threadOf: id })
    alice.edit(id, 'lunch at 1?')
    await settle(alice, bob)
    bob.markRead(bob.messages()[0].hlc)
    bob.remove(reply)
    await settle(alice, bob)
    for (const e of [alice, bob]) {
      const [m] = e.messages()
      expect(m.text).toBe('lunch at 1?')
      expect(m.edited).toBe(true)
      expect(m.reactions).toEqual([{ emoji: '👍', count: 1, mine: e === bob }])
      expect(m.replies).toBe(0)
      expect(e.thread(id).map((r) => r.deleted)).toEqual([true])
    }
    expect(alice.messages()[0].delivery).toBe('read')
    expect(bob.stats.envelopesRejected + alice.stats.envelopesRejected).toBe(0)
  })

  it('a catch-up batch costs one signature check per author', async () => {
    const world = await OrgWorld.create(3)
    await world.addDevice('alice')
    await world.addDevice('bob')
    await world.addDevice('carol')
    const alice = await world.open('alice')
    const bob = await world.open('bob')
    connect(alice, bob)
    for (let i = 0; i < 40; i++) alice.post(`m${i}`)
    await settle(alice, bob)
    const carol = await world.open('carol')
    connect(bob, carol)
    await settle(alice, bob, carol)
    expect(texts(carol)).toHaveLength(40)
    // Carol's chain key for Alice came via a key request Bob passed on: Alice is reachable.
    expect(carol.stats.signatureChecks).toBeLessThanOrEqual(3)
  })

  it('a restarted device restores history, keys and its own chain', async () => {
    const world = await OrgWorld.create(4)
    await world.addDevice('alice')
    await world.addDevice('bob')
    const raw = memoryRawStore()
    const alice = await world.open('alice', raw)
    const bob = await world.open('bob')
    const link = connect(alice, bob)
    alice.post('one')
    await settle(alice, bob)
    link.cut()
    const again = await world.open('alice', raw)
    expect(texts(again)).toEqual(['one'])
    again.post('two')
    await settle(again)
    connect(again, bob)
    await settle(again, bob)
    expect(texts(bob)).toEqual(['one', 'two'])
    expect(bob.stats.envelopesRejected).toBe(0)
  })
})

describe('history for a new device', () => {
  it('Dave joins late: he gets the channel as one snapshot over a pairwise session, then new messages', async () => {
    const world = await OrgWorld.create(5)
    await world.addDevice('alice')
    await world.addDevice('bob')
    const alice = await world.open('alice')
    const bob = await world.open('bob')
    connect(alice, bob)
    for (let i = 0; i < 30; i++) (i % 2 ? alice : bob).post(`old ${i}`)
    await settle(alice, bob)
    await world.addDevice('dave')
    for (const e of [alice, bob]) e.setOrgState(world.state())
    const daveStore = memoryRawStore()
    const dave = await world.open('dave', daveStore)
    connect(alice, dave)
    await settle(alice, bob, dave)
    expect(texts(dave)).toEqual(texts(alice))
    expect(dave.stats.snapshotsAccepted).toBe(1)
    expect(dave.stats.envelopesAccepted).toBe(0) // history came as a snapshot, not as the log
    bob.post('welcome dave')
    await settle(alice, bob, dave)
    expect(texts(dave).at(-1)).toBe('welcome dave')
    expect(dave.stats.envelopesRejected).toBe(0)
    // Dave, restarted, still has it all (the snapshot and its sequence vector were stored).
    const again = await world.open('dave', daveStore)
    expect(texts(again)).toEqual(texts(alice))
  })
})
