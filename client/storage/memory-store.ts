// In-memory EnvelopeStore for unit tests and for an always-on peer without a disk.

import type { DeviceRecord, EnvelopeStore, StoredEnvelope } from './envelope-store.ts'

export function memoryStore(): EnvelopeStore {
  const envelopes = new Map<string, StoredEnvelope>()
  let device: DeviceRecord | undefined
  return {
    putEnvelope(e) {
      envelopes.set(`${e.channel}/${e.author}/${e.seq}`, { ...e, bytes: e.bytes.slice() })
      return Promise.resolve()
    },
    listEnvelopes(channel) {
      return Promise.resolve([...envelopes.values()].filter((e) => e.channel === channel))
    },
    loadDevice() {
      return Promise.resolve(device)
    },
    saveDevice(d) {
      device = d
      return Promise.resolve()
    },
  }
}
