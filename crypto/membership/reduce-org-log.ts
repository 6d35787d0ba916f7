// The pure reducer: a set of org-log entries -> org state, identical for every arrival order.
//
// Resolution rules (docs/protocol/membership.md §9):
// 1. Entries that fail their own checks (org, signature, certificate) are rejected; entries
//    with a missing or rejected ancestor wait in `pending`.
// 2. Entries apply in (depth, hash) order, a topological order of the DAG every replica shares.
// 3. The root is always authorised. Only the root appoints or revokes admins.
// 4. An admin's entry counts only if an appointment of that key is in its causal past, its
//    timestamp lies inside that appointment's certificate window, and it is in the causal past of
//    EVERY root revocation of that key. So entries made after, or concurrently with, the
//    revocation are void, and a later root entry cannot resurrect them.
// 5. Revocation wins: revoked devices, users and admins stay revoked whatever else happens; a
//    device id, signing key, client-id range or channel id is never reissued or replaced.
// 6. A signed prekey counts if its author is a device issued earlier in the order; the prekey
//    directory lists active devices only.

import { toHex } from '../codec/bytes.ts'
import { closure, type PlacedLog, placeEntries } from './org-log-dag.ts'
import { staticRejection } from './org-log-checks.ts'
import type { LogEntry } from './log-entry.ts'
import type { OrgAnchor } from './org-anchor.ts'
import type { OrgState } from './org-state.ts'
import { OrgStateBuilder } from './org-state-builder.ts'

export interface BuiltOrgLog {
  builder: OrgStateBuilder
  placed: PlacedLog
  /** Entries that passed their own checks, by id (the DAG's nodes). */
  valid: Map<string, LogEntry>
}

/** The whole reduction, keeping its working structures (org-log-replica.ts reuses them). */
export function buildOrgLog(anchor: OrgAnchor, entries: Iterable<LogEntry>): BuiltOrgLog {
  const builder = new OrgStateBuilder(anchor)
  const valid = new Map<string, LogEntry>()
  const seen = new Set<string>()
  for (const e of entries) {
    if (seen.has(e.id)) continue // a replay of the same bytes is the same entry
    seen.add(e.id)
    const why = staticRejection(anchor, e)
    if (why) builder.reject(e, why)
    else valid.set(e.id, e)
  }
  const placed = placeEntries(valid)

  // Admin authority depends only on root entries, so it is fixed before the walk.
  const parentsOf = (id: string) => valid.get(id)!.parentIds
  const childrenOf = (id: string) => placed.children.get(id) ?? []
  for (const e of placed.order) {
    if (e.body.type === 'appoint-admin') {
      const key = toHex(e.body.certificate.adminKey)
      const list = builder.appointments.get(key) ?? []
      list.push({
        notBefore: e.body.certificate.notBefore,
        notAfter: e.body.certificate.notAfter,
        descendants: closure(e.id, childrenOf),
      })
      builder.appointments.set(key, list)
    } else if (e.body.type === 'revoke-admin') {
      const key = toHex(e.body.adminKey)
      const list = builder.revocations.get(key) ?? []
      list.push(closure(e.id, parentsOf))
      builder.revocations.set(key, list)
    }
  }
  for (const e of placed.order) builder.step(e)
  return { builder, placed, valid }
}

export function reduceOrgLog(anchor: OrgAnchor, entries: Iterable<LogEntry>): OrgState {
  const { builder, placed } = buildOrgLog(anchor, entries)
  return builder.snapshot(placed.pending)
}
