// This device's copy of the org log: entries arrive as bundles (from signaling or peers), a live
// OrgLogReplica turns them into the OrgState every check is made against — appending in O(1)
// when an entry builds on the heads (each device's prekey publication does), re-reducing only
// when it must; its state always equals the pure reducer's over the same entries.

import { toHex } from '../../crypto/codec/bytes.ts'
import { decodeLogBundle } from '../../crypto/membership/log-bundle.ts'
import { decodeLogEntry, type LogEntry } from '../../crypto/membership/log-entry.ts'
import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import { OrgLogReplica } from '../../crypto/membership/org-log-replica.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'

export class OrgReplica {
  private readonly replica: OrgLogReplica
  private readonly listeners = new Set<(state: OrgState) => void>()
  state: OrgState

  constructor(readonly anchor: OrgAnchor, stored: Uint8Array[] = []) {
    const entries: LogEntry[] = []
    for (const bytes of stored) {
      try {
        entries.push(decodeLogEntry(bytes))
      } catch {
        // A damaged stored entry is skipped; it will arrive again from the worker or a peer.
      }
    }
    this.replica = new OrgLogReplica(anchor, entries)
    this.state = this.replica.state
  }

  /** Adds a bundle; returns the entries that were new (to persist). Bad bundles throw ConchError. */
  applyBundle(bundle: Uint8Array): LogEntry[] {
    // The reducer verifies every signature and resolves the DAG; forged entries end up in
    // state.rejected and change nothing.
    const fresh = this.replica.add(decodeLogBundle(bundle))
    if (fresh.length) {
      this.state = this.replica.state
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
