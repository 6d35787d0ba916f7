// Storage as an interface (libsignal style): the engine never touches IndexedDB directly.

export interface StoredEnvelope {
  channel: string // hex channel id
  author: string // hex author device id
  seq: number
  bytes: Uint8Array // the encoded envelope, still encrypted
}

export interface DeviceRecord {
  deviceId: Uint8Array
  /** Yjs client id this device writes with; stable across reloads. */
  clientId: number
}

export interface EnvelopeStore {
  /** Resolves only once the envelope is durable: callers acknowledge after this. */
  putEnvelope(e: StoredEnvelope): Promise<void>
  listEnvelopes(channel: string): Promise<StoredEnvelope[]>
  loadDevice(): Promise<DeviceRecord | undefined>
  saveDevice(d: DeviceRecord): Promise<void>
}
