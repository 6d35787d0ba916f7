// The byte-level storage a device writes through: named tables of key -> bytes with atomic,
// durable batches. Two implementations (memory, Dexie); sealed-store.ts encrypts on top.

export interface RawRow {
  table: string
  key: string
  value: Uint8Array
}

export interface RawStore {
  /** Applies every put and delete atomically; resolves only once the batch is durable. */
  write(puts: readonly RawRow[], deletes?: readonly { table: string; key: string }[]): Promise<void>
  get(table: string, key: string): Promise<Uint8Array | undefined>
  /** Rows of `table` whose key starts with `prefix`, in key order. */
  list(table: string, prefix: string): Promise<RawRow[]>
  /** Erases everything (remote wipe). */
  clear(): Promise<void>
}
