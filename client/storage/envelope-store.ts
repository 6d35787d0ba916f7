// Storage as an interface (libsignal style): the engine never touches IndexedDB directly. Every
// value behind it is encrypted at rest (sealed-store.ts); keys of rows are ids, never content.

export interface StoredEnvelope {
  channel: string // hex channel id
  author: string // hex author device id
  seq: number
  bytes: Uint8Array // the encoded envelope, as received (end-to-end encrypted)
  /** The decrypted Yjs update, when this device could read it (relays cannot). */
  update?: Uint8Array
}

export interface DeviceRecord {
  deviceId: Uint8Array
  /** Yjs client id this device writes with; stable across reloads. */
  clientId: number
}

/** A compacted channel: the Yjs state covering, per author, envelopes 1..seq (hash of seq). */
export interface StoredSnapshot {
  channel: string
  doc: Uint8Array
  vector: { author: string; seq: number; hash: Uint8Array }[]
}

/** One atomic write: envelopes, secrets (chains, sessions), a snapshot, compacted updates. */
export interface StoreBatch {
  envelopes?: StoredEnvelope[]
  secrets?: { name: string; value: Uint8Array }[]
  deleteSecrets?: string[]
  snapshot?: StoredSnapshot
  /** Plaintext updates now covered by `snapshot`, dropped in the same transaction. */
  dropUpdates?: { channel: string; author: string; seq: number }[]
}

export interface EnvelopeStore {
  /** Resolves only once everything in the batch is durable: callers acknowledge after this. */
  commit(batch: StoreBatch): Promise<void>
  /** Resolves only once the envelope is durable. */
  putEnvelope(e: StoredEnvelope): Promise<void>
  /** Every envelope of the channel, with its update when one is still held. */
  listEnvelopes(channel: string): Promise<StoredEnvelope[]>
  loadSnapshot(channel: string): Promise<StoredSnapshot | undefined>
  getSecret(name: string): Promise<Uint8Array | undefined>
  listSecrets(prefix: string): Promise<{ name: string; value: Uint8Array }[]>
  /** The org log as signed entry bytes, keyed by entry id. */
  putOrgEntries(entries: { id: string; bytes: Uint8Array }[]): Promise<void>
  listOrgEntries(): Promise<Uint8Array[]>
  loadDevice(): Promise<DeviceRecord | undefined>
  saveDevice(d: DeviceRecord): Promise<void>
  /** Remote wipe: erases every row. */
  wipe(): Promise<void>
}
