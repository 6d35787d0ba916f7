// EnvelopeStore on IndexedDB through Dexie. Envelopes are stored as received: still encrypted.

import Dexie, { type Table } from 'dexie'
import type { DeviceRecord, EnvelopeStore, StoredEnvelope } from './envelope-store.ts'

interface DeviceRow extends DeviceRecord {
  key: 'self'
}

class ConchDatabase extends Dexie {
  envelopes!: Table<StoredEnvelope, [string, string, number]>
  device!: Table<DeviceRow, string>
  constructor(name: string) {
    super(name)
    this.version(1).stores({
      envelopes: '[channel+author+seq], channel',
      device: 'key',
    })
  }
}

export function dexieStore(name = 'conch'): EnvelopeStore {
  const db = new ConchDatabase(name)
  return {
    async putEnvelope(e) {
      // A Dexie write resolves after the IndexedDB transaction commits: durable before ack.
      await db.envelopes.put(e)
    },
    listEnvelopes(channel) {
      return db.envelopes.where('channel').equals(channel).toArray()
    },
    async loadDevice() {
      const row = await db.device.get('self')
      return row && { deviceId: row.deviceId, clientId: row.clientId }
    },
    async saveDevice(d) {
      await db.device.put({ key: 'self', ...d })
    },
  }
}
