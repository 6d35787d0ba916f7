// In-memory RawStore for unit tests and for an always-on peer without a disk.

import type { RawRow, RawStore } from './raw-store.ts'

export function memoryRawStore(): RawStore & { rows: Map<string, RawRow> } {
  const rows = new Map<string, RawRow>()
  const id = (table: string, key: string) => `${table}\u0000${key}`
  return {
    rows,
    write(puts, deletes = []) {
      for (const d of deletes) rows.delete(id(d.table, d.key))
      for (const p of puts) rows.set(id(p.table, p.key), { ...p, value: p.value.slice() })
      return Promise.resolve()
    },
    get(table, key) {
      return Promise.resolve(rows.get(id(table, key))?.value.slice())
    },
    list(table, prefix) {
      const out = [...rows.values()].filter((r) => r.table === table && r.key.startsWith(prefix))
      out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      return Promise.resolve(out.map((r) => ({ ...r, value: r.value.slice() })))
    },
    clear() {
      rows.clear()
      return Promise.resolve()
    },
  }
}
