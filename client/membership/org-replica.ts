// This device's copy of the org log: entries arrive as bundles (from signaling or peers), the
// pure reducer turns them into the OrgState every check is made against.

import { toHex } from '../../crypto/codec/bytes.ts'
import { decodeLogBundle } from '../../crypto/membership/log-bundle.ts'
import { decodeLogEntry, type LogEntry } from '../../crypto/membership/log-entry.ts'
import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import { reduceOrgLog } from '../../crypto/membership/reduce-org-log.ts'

export class OrgReplica {
  private readonly entries = new Map<string, LogEntry>()
  private readonly listeners = new Set<(state: OrgState) => void>()
  state: OrgState

  constructor(readonly anchor: OrgAnchor, stored: Uint8Array[] = []) {
    for (const bytes of stored) {
      try {
        const entry = decodeLogEntry(bytes)
        this.entries.set(toHex(entry.hash), entry)
      } catch {
        // A damaged stored entry is skipped; it will arrive again from the worker or a peer.
      }
    }
    this.state = reduceOrgLog(anchor, this.entries.values())
  }

  /** Adds a bundle; returns the entries that were new (to persist). Bad bundles throw ConchError. */
  applyBundle(bundle: Uint8Array): LogEntry[] {
    const fresh: LogEntry[] = []
    for (const entry of decodeLogBundle(bundle)) {
      const id = toHex(entry.hash)
      if (this.entries.has(id)) continue
      this.entries.set(id, entry)
      fresh.push(entry)
    }
    if (fresh.length) {
      // The reducer verifies every signature and resolves the DAG; forged entries end up in
      // state.rejected and change nothing.
      this.state = reduceOrgLog(this.anchor, this.entries.values())
      for (const l of this.listeners) l(this.state)
    }
    return fresh
  }

  headsHex(): string[] {
    return this.state.heads.map(toHex)
  }

  subscribe(listener: (state: OrgState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
