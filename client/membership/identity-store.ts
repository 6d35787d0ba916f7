// Where a device keeps its enrollment and its copy of the org log (IndexedDB through Dexie, in
// its own database so the channel stores can evolve their schema independently).

import Dexie, { type Table } from 'dexie'
import type { Enrollment, PendingEnrollment } from './enrollment.ts'

interface EnrollmentRow {
  key: 'self'
  state: 'pending' | 'enrolled'
  pending?: PendingEnrollment
  enrollment?: Enrollment
}

interface LogRow {
  id: string
  bytes: Uint8Array
}

class DeviceDatabase extends Dexie {
  enrollment!: Table<EnrollmentRow, string>
  orgLog!: Table<LogRow, string>
  constructor(name: string) {
    super(name)
    this.version(1).stores({ enrollment: 'key', orgLog: 'id' })
  }
}

export interface IdentityStore {
  load(): Promise<{ pending?: PendingEnrollment; enrollment?: Enrollment }>
  savePending(p: PendingEnrollment): Promise<void>
  saveEnrollment(e: Enrollment): Promise<void>
  loadOrgLog(): Promise<Uint8Array[]>
  saveOrgEntries(entries: { id: string; bytes: Uint8Array }[]): Promise<void>
  /** Remote wipe and "leave": erase every key and the log. */
  erase(): Promise<void>
}

export function dexieIdentityStore(name = 'conch-device'): IdentityStore {
  const db = new DeviceDatabase(name)
  return {
    async load() {
      const row = await db.enrollment.get('self')
      return { pending: row?.pending, enrollment: row?.enrollment }
    },
    async savePending(pending) {
      await db.enrollment.put({ key: 'self', state: 'pending', pending })
    },
    async saveEnrollment(enrollment) {
      await db.enrollment.put({ key: 'self', state: 'enrolled', enrollment })
    },
    async loadOrgLog() {
      return (await db.orgLog.toArray()).map((r) => r.bytes)
    },
    async saveOrgEntries(entries) {
      await db.orgLog.bulkPut(entries)
    },
    async erase() {
      await db.delete()
    },
  }
}
