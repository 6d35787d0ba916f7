// RawStore on IndexedDB through Dexie: one table keyed by [table+key]. A write is one IndexedDB
// transaction, and Dexie resolves only after it commits: durable before acknowledged.

import Dexie, { type Table } from 'dexie'
import type { RawRow, RawStore } from './raw-store.ts'

class ConchDatabase extends Dexie {
  rows!: Table<RawRow, [string, string]>
  constructor(name: string, indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange) {
    super(name, indexedDB ? { indexedDB, IDBKeyRange: keyRange } : undefined)
    // Version 1 held walking-skeleton envelopes (v1 format, unreadable now): dropped.
    this.version(2).stores({ envelopes: null, device: null, rows: '[table+key]' })
  }
}

/** `indexedDB`/`keyRange` let tests pass fake-indexeddb; browsers use the globals. */
export function dexieRawStore(
  name = 'conch',
  indexedDB?: IDBFactory,
  keyRange?: typeof IDBKeyRange,
): RawStore & { close(): void } {
  const db = new ConchDatabase(name, indexedDB, keyRange)
  return {
    async write(puts, deletes = []) {
      await db.transaction('rw', db.rows, async () => {
        if (deletes.length) await db.rows.bulkDelete(deletes.map((d) => [d.table, d.key]))
        if (puts.length) await db.rows.bulkPut(puts.map((p) => ({ ...p })))
      })
    },
    async get(table, key) {
      return (await db.rows.get([table, key]))?.value
    },
    list(table, prefix) {
      return db.rows.where('[table+key]').between([table, prefix], [table, prefix + '\uffff'])
        .toArray()
    },
    async clear() {
      await db.rows.clear()
    },
    close() {
      db.close()
    },
  }
}
