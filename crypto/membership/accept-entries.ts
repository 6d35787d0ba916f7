// Growing a replica's org log safely: accept only new, valid entries; never roll back; send a
// peer only what it lacks (DESIGN §4, §7).

import { equalBytes, toHex } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import { closure } from './org-log-dag.ts'
import type { LogEntry } from './log-entry.ts'
import type { OrgAnchor } from './org-anchor.ts'
import type { OrgState } from './org-state.ts'
import { reduceOrgLog } from './reduce-org-log.ts'

/**
 * Which of `incoming` are new and valid on top of `known`. Known entries are never dropped, so a
 * replica that only ever calls this cannot be rolled back. Throws `membership/bad-log` if any new
 * entry is rejected (forged, unauthorised, void, conflicting) or lacks an ancestor.
 */
export function acceptEntries(
  anchor: OrgAnchor,
  known: LogEntry[],
  incoming: LogEntry[],
): { accepted: LogEntry[]; state: OrgState } {
  const knownIds = new Set(known.map((e) => e.id))
  const fresh = new Map<string, LogEntry>()
  for (const e of incoming) if (!knownIds.has(e.id)) fresh.set(e.id, e)
  const state = reduceOrgLog(anchor, [...known, ...fresh.values()])
  if (fresh.size === 0) return { accepted: [], state }
  for (const r of state.rejected) {
    if (fresh.has(r.id)) {
      fail('membership/bad-log', `entry ${r.id.slice(0, 12)} refused: ${r.reason}`)
    }
  }
  for (const id of state.pending) {
    if (fresh.has(id)) {
      fail('membership/bad-log', `entry ${id.slice(0, 12)} refused: missing ancestor`)
    }
  }
  // A revoked device's prekeys are harmless (out of the directory) but must not grow the log;
  // nor may the old unsigned layout, which no peer can use (§6).
  for (const e of fresh.values()) {
    if (e.type === 'publish-prekey-v1') {
      fail('membership/bad-log', `entry ${e.id.slice(0, 12)} refused: unsigned prekey layout`)
    }
    if (e.type !== 'publish-prekey') continue
    const device = [...state.devices.values()].find((d) => equalBytes(d.signingPublicKey, e.author))
    if (device && state.revokedDevices.has(toHex(device.deviceId))) {
      fail('membership/bad-log', `entry ${e.id.slice(0, 12)} refused: device is revoked`)
    }
  }
  return { accepted: state.log.filter((e) => fresh.has(e.id)), state }
}

/**
 * The entries of `all` that are not in the causal past of `heads` (heads included): what a peer
 * that reports those heads is missing. Unknown heads are ignored (they say nothing we can use).
 */
export function entriesNotBelow(all: LogEntry[], heads: Uint8Array[]): LogEntry[] {
  const byId = new Map(all.map((e) => [e.id, e]))
  const below = new Set<string>()
  for (const h of heads) {
    const id = toHex(h)
    if (!byId.has(id) || below.has(id)) continue
    for (const a of closure(id, (x) => (byId.get(x)?.parentIds ?? []).filter((p) => byId.has(p)))) {
      below.add(a)
    }
  }
  return all.filter((e) => !below.has(e.id))
}

/**
 * A replica that receives a whole log (a file, a peer's snapshot) must find every head it already
 * trusted in it; otherwise the log was rolled back or truncated. Throws `membership/bad-log`.
 */
export function assertNoRollback(previousHeads: Uint8Array[], next: OrgState): void {
  const applied = new Set(next.log.map((e) => e.id))
  for (const h of previousHeads) {
    if (!applied.has(toHex(h))) {
      fail('membership/bad-log', 'org log rolled back: a known head is missing')
    }
  }
}
