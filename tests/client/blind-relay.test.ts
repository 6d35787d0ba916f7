// A non-member relay holds and serves channel ciphertext (and pairwise messages as a mailbox)
// that it cannot read; a device that was away when the sender left still gets everything.
import { describe, expect, it } from 'vitest'
import { memoryRawStore } from '../../client/storage/memory-raw-store.ts'
import { connect, settle } from './in-process-link.ts'
import { OrgWorld } from './org-world.ts'

describe('blind relay', () => {
  it('serves ciphertext it cannot read to a member who comes back after the sender left', async () => {
    const world = await OrgWorld.create(31)
    await world.addDevice('alice')
    await world.addDevice('bob')
    const relayRaw = memoryRawStore()
    const relay = await world.openRelay(relayRaw)
    const bob = await world.open('bob')
    const bobAtRelay = connect(bob, relay) // the relay learns Bob's prekey bundle
    await settle(bob, relay)
    bobAtRelay.cut()

    const alice = await world.open('alice')
    const aliceAtRelay = connect(alice, relay)
    await settle(alice, relay)
    alice.post('for bob, while he is away')
    alice.post('and a second one')
    await settle(alice, relay)
    expect(alice.messages().map((m) => m.delivery)).toEqual(['relayed', 'relayed'])
    aliceAtRelay.cut()

    connect(bob, relay)
    await settle(bob, relay)
    expect(bob.messages().map((m) => m.text)).toEqual([
      'for bob, while he is away',
      'and a second one',
    ])
    expect(relay.messages()).toEqual([])
    expect(relay.stats.envelopesAccepted).toBe(2)
    const stored = [...relayRaw.rows.values()].map((r) => r.table)
    expect(stored.filter((t) => t === 'envelope')).toHaveLength(2)
    expect(stored.filter((t) => t === 'update')).toHaveLength(0)
  })
})
