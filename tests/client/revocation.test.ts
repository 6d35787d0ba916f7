// Stories of revocation, wipe and moderation: the org log changes, the channel follows.
import { describe, expect, it } from 'vitest'
import { memoryRawStore } from '../../client/storage/memory-raw-store.ts'
import { connect, settle } from './in-process-link.ts'
import { OrgWorld } from './org-world.ts'

const texts = (e: { messages(): { text: string }[] }) => e.messages().map((m) => m.text)

describe('revocation', () => {
  it('Alice revokes Mallory: Mallory cannot read what follows, and what Mallory signs after is rejected', async () => {
    const world = await OrgWorld.create(21)
    await world.addDevice('alice')
    await world.addDevice('bob')
    await world.addDevice('mallory')
    const alice = await world.open('alice')
    const bob = await world.open('bob')
    const mallory = await world.open('mallory')
    connect(alice, bob)
    connect(alice, mallory)
    connect(bob, mallory)
    alice.post('before')
    await settle(alice, bob, mallory)
    expect(texts(mallory)).toEqual(['before'])

    world.revoke('mallory')
    for (const e of [alice, bob]) e.setOrgState(world.state())
    alice.post('after, from alice')
    bob.post('after, from bob')
    mallory.post('after, from mallory')
    await settle(alice, bob, mallory)
    for (let round = 0; round < 3; round++) {
      for (const e of [alice, bob, mallory]) e.sync()
      await settle(alice, bob, mallory)
    }

    expect(texts(mallory)).toEqual(['before', 'after, from mallory'])
    expect(mallory.stats.parked).toBeGreaterThan(0) // it holds ciphertext it cannot open
    expect(texts(alice)).toEqual(texts(bob))
    expect(texts(alice).sort()).toEqual(['after, from alice', 'after, from bob', 'before'])
    expect(alice.stats.rejectedByReason['revoked-author']).toBeGreaterThan(0)
    expect(bob.stats.rejectedByReason['revoked-author']).toBeGreaterThan(0)
  })

  it('a wipe entry makes the device erase its keys and data when it next hears the org log', async () => {
    const world = await OrgWorld.create(22)
    await world.addDevice('alice')
    await world.addDevice('lost-phone')
    const raw = memoryRawStore()
    const alice = await world.open('alice')
    const phone = await world.open('lost-phone', raw)
    connect(alice, phone)
    alice.post('confidential')
    await settle(alice, phone)
    expect(texts(phone)).toEqual(['confidential'])
    expect(raw.rows.size).toBeGreaterThan(0)

    world.wipe('lost-phone')
    phone.setOrgState(world.state())
    await settle(phone)
    expect(phone.isWiped).toBe(true)
    expect(texts(phone)).toEqual([])
    expect(raw.rows.size).toBe(0)
  })

  it('an admin deletes a message for moderation; a member cannot', async () => {
    const world = await OrgWorld.create(23)
    await world.addDevice('admin', ['member', 'admin'])
    await world.addDevice('bob')
    await world.addDevice('carol')
    const admin = await world.open('admin')
    const bob = await world.open('bob')
    const carol = await world.open('carol')
    connect(admin, bob)
    connect(bob, carol)
    const offensive = bob.post('offensive')
    const fine = bob.post('fine')
    await settle(admin, bob, carol)
    expect(() => carol.remove(fine)).toThrow()
    admin.remove(offensive)
    await settle(admin, bob, carol)
    for (const e of [admin, bob, carol]) expect(texts(e)).toEqual(['fine'])
  })

  it('epochs rotate on schedule: a new chain, still readable by every member', async () => {
    const world = await OrgWorld.create(24)
    await world.addDevice('alice')
    await world.addDevice('bob')
    const alice = await world.open('alice', undefined, { rotateEveryMs: 60_000 })
    const bob = await world.open('bob')
    connect(alice, bob)
    alice.post('epoch 0')
    await settle(alice, bob)
    world.now += 120_000
    alice.post('epoch 1')
    await settle(alice, bob)
    expect(texts(bob)).toEqual(['epoch 0', 'epoch 1'])
  })
})
