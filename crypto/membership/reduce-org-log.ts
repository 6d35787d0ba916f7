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
//    device id, signing key, client-id range or channel id is never reissued or replaced: of two
//    conflicting issuances the one that had seen the other is void, and if neither had, both
//    are (issuance-conflicts.ts), so no choice of heads can displace an issued device.
// 0. Root attestation: the root signs only on top of a log it has fully verified (admin-keys
//    refuses to write otherwise), so a valid root signature vouches for the signature of every
//    entry in its causal past; those skip their own Ed25519 check (hash links bind their bytes).
// 6. A signed prekey counts if its author is a device issued earlier in the order, its X3DH
//    signature verifies against that device's certified identity (vouched for by rule 0 like
//    the entry signature), and its id exceeds the device's previous one; the directory lists
//    active devices only. The old unsigned layout (type 12) applies but lists nothing.
// 7. A private channel's members change only by admin `channel-members` entries on a live
//    private channel; an add counts only if every removal of that user from that channel is in
//    its causal past, so removal wins over a concurrent add (private-channel-members.ts).

import { hex as toHex } from './hex.ts'
import { closure, type PlacedLog, placeEntries } from './org-log-dag.ts'
import { staticRejection } from './org-log-checks.ts'
import { candidateOf, voidIssuances } from './issuance-conflicts.ts'
import { equalBytes } from '../codec/bytes.ts'
import { type LogEntry, logEntrySignatureValid } from './log-entry.ts'
import type { OrgAnchor } from './org-anchor.ts'
import type { OrgState } from './org-state.ts'
import { OrgStateBuilder } from './org-state-builder.ts'

export interface BuiltOrgLog {
  builder: OrgStateBuilder
  placed: PlacedLog
}

/** The whole reduction, keeping its working structures (org-log-replica.ts reuses them). */
export function buildOrgLog(anchor: OrgAnchor, entries: Iterable<LogEntry>): BuiltOrgLog {
  const builder = new OrgStateBuilder(anchor)
  const byId = new Map<string, LogEntry>()
  for (const e of entries) if (!byId.has(e.id)) byId.set(e.id, e) // a replay is the same entry
  // Place everything once to find what verified root entries attest (rule 0); re-place only if
  // some entry then fails its own checks (rare: forged or foreign input).
  let placed = placeEntries(byId)
  const attested = attestByRoot(anchor, builder.rootHex, placed.order)
  const valid = new Map<string, LogEntry>()
  for (const e of byId.values()) {
    const why = staticRejection(anchor, e, attested.has(e.id))
    if (why) builder.reject(e, why)
    else valid.set(e.id, e)
  }
  if (valid.size !== byId.size) placed = placeEntries(valid)
  builder.attested = attested

  // Admin authority depends only on root entries, so it is fixed before the walk.
  const parentsOf = (id: string) => valid.get(id)!.parentIds
  const ownBit = new Map<string, bigint>()
  for (const e of placed.order) {
    if (e.body.type === 'appoint-admin') {
      const key = toHex(e.body.certificate.adminKey)
      const list = builder.appointments.get(key) ?? []
      const bit = 1n << BigInt(ownBit.size)
      ownBit.set(e.id, bit)
      list.push({
        notBefore: e.body.certificate.notBefore,
        notAfter: e.body.certificate.notAfter,
        bit,
      })
      builder.appointments.set(key, list)
    } else if (e.body.type === 'revoke-admin') {
      const key = toHex(e.body.adminKey)
      const list = builder.revocations.get(key) ?? []
      list.push(closure(e.id, parentsOf))
      builder.revocations.set(key, list)
    }
  }
  for (const e of placed.order) builder.trackAppointments(e, ownBit.get(e.id))
  // Issuances that would be applied (authorised, admin role only from the root) are checked
  // for conflicts as a set, before the walk (issuance-conflicts.ts).
  const candidates = []
  for (const e of placed.order) {
    const c = candidateOf(e)
    if (!c || (e.authorId !== builder.rootHex && builder.adminAuthority(e) !== null)) continue
    if (e.body.type === 'issue-device' && e.body.certificate.roles.has('admin')) {
      if (e.authorId !== builder.rootHex) continue
    }
    candidates.push(c)
  }
  builder.voidIssuances = voidIssuances(candidates, parentsOf)
  for (const e of placed.order) builder.step(e)
  return { builder, placed }
}

/**
 * Rule 0, walking the placed order backwards (children before parents): a root entry not yet
 * attested has its own signature checked, and then vouches for its parents. The result is the
 * union of the valid root entries' causal pasts, whatever the walk order.
 */
function attestByRoot(anchor: OrgAnchor, rootHex: string, order: LogEntry[]): Set<string> {
  const attested = new Set<string>()
  for (let i = order.length - 1; i >= 0; i--) {
    const e = order[i]
    let vouches = attested.has(e.id)
    if (!vouches && e.authorId === rootHex) {
      vouches = equalBytes(e.orgId, anchor.orgId) && logEntrySignatureValid(e)
    }
    if (vouches) { for (const p of e.parentIds) attested.add(p) }
  }
  return attested
}

export function reduceOrgLog(anchor: OrgAnchor, entries: Iterable<LogEntry>): OrgState {
  const { builder, placed } = buildOrgLog(anchor, entries)
  return builder.snapshot(placed.pending)
}
