// Storage stories on IndexedDB (fake-indexeddb): a crash at any write loses nothing that was
// acknowledged, a restarted device never reuses a sequence number or a key, and every row is
// sealed under the device storage key.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { toHex, utf8 } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { dexieRawStore } from '../../client/storage/dexie-raw-store.ts'
import type { RawStore } from '../../client/storage/raw-store.ts'
import { sealedStore } from '../../client/storage/sealed-store.ts'
import { crashable } from './faulty-network.ts'
import { connect, settle } from './in-process-link.ts'
import { OrgWorld } from './org-world.ts'

/** Counts writes and crashes the store just before write number `at` (it never completes). */
function crashAtWrite(base: RawStore, at: number): RawStore & { crashed(): boolean } {
  const store = crashable(base)
  let writes = 0
  let dead = false
  return {
    ...store,
    write(puts, deletes) {
      if (++writes === at) {
        dead = true
        store.crash()
      }
      return store.write(puts, deletes)
    },
    crashed: () => dead,
  }
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

describe('durable storage', () => {
  it(
    'a crash at any write: every acknowledged message survives, and the chain continues',
    async () => {
      const world = await OrgWorld.create(41)
      await world.addDevice('alice')
      await world.addDevice('bob')
      for (let at = 1; at <= 12; at++) {
        const indexedDB = new IDBFactory()
        const db = () => dexieRawStore(`alice-${at}`, indexedDB, IDBKeyRange)
        const store = crashAtWrite(db(), at)
        const alice = await world.open('alice', store)
        const posted: string[] = []
        const acknowledged: string[] = []
        for (let i = 0; i < 5 && !store.crashed(); i++) {
          posted.push(alice.post(`message ${i}`))
          // Acknowledged = durable; a crashed store never resolves, so we look, not wait.
          await Promise.race([alice.idle(), new Promise((r) => setTimeout(r, 20))])
        }
        for (const id of posted) if (alice.durable(id)) acknowledged.push(id)

        const restarted = await world.open('alice', db())
        const ids = restarted.messages().map((m) => m.id)
        for (const id of acknowledged) expect(ids, `crash at write ${at}`).toContain(id)
        restarted.post('after the crash')
        const bob = await world.open('bob')
        connect(restarted, bob)
        await settle(restarted, bob)
        const seen = bob.messages().map((m) => m.id)
        for (const id of acknowledged) expect(seen, `crash at write ${at}`).toContain(id)
        expect(bob.messages().map((m) => m.text)).toContain('after the crash')
        expect(bob.stats.rejectedByReason, `crash at write ${at}`).toEqual({})
      }
    },
    60_000,
  )

  it('every row is sealed: no plaintext at rest, and another key opens nothing', async () => {
    const world = await OrgWorld.create(42)
    await world.addDevice('alice')
    const indexedDB = new IDBFactory()
    const raw = dexieRawStore('sealed', indexedDB, IDBKeyRange)
    const alice = await world.open('alice', raw)
    alice.post('the vault code is 0451')
    await alice.idle()
    const rows = await raw.list('update', '')
    expect(rows.length).toBe(1)
    for (const table of ['envelope', 'update', 'secret']) {
      for (const row of await raw.list(table, '')) {
        expect(contains(row.value, utf8('vault code'))).toBe(false)
      }
    }
    const thief = sealedStore(raw, new Uint8Array(32).fill(7))
    for (
      const read of [() => thief.listEnvelopes(toHex(world.channelId)), () => thief.listSecrets('')]
    ) {
      const error = await read().then(() => undefined, (e) => e)
      expect(isConchError(error, 'storage/corrupt')).toBe(true)
    }
  })
})
