// A long-lived replica of the org log for devices and the signaling worker: `add` applies a new
// entry in O(1) when it provably sorts after everything known (the common case: an admin
// appends on top of the heads), and re-reduces from scratch otherwise. Its state always equals
// reduceOrgLog(anchor, everything added) — tests/membership/org-log-replica.test.ts checks that.

import { fail } from '../errors/conch-error.ts'
import { hex } from './hex.ts'
import type { LogEntry } from './log-entry.ts'
import { staticRejection } from './org-log-checks.ts'
import type { OrgAnchor } from './org-anchor.ts'
import type { OrgState } from './org-state.ts'
import type { OrgStateBuilder } from './org-state-builder.ts'
import { buildOrgLog } from './reduce-org-log.ts'

export class OrgLogReplica {
  private readonly known = new Map<string, LogEntry>()
  private builder!: OrgStateBuilder
  private depth!: Map<string, number>
  private maxDepth = -1
  private pending: string[] = []
  private cached: OrgState | undefined
  /** How many adds took the O(1) path and how many re-reduced (for benchmarks and metrics). */
  readonly stats = { fast: 0, full: 0 }

  constructor(readonly anchor: OrgAnchor, entries: Iterable<LogEntry> = []) {
    for (const e of entries) this.known.set(e.id, e)
    this.rebuild()
  }

  /** A snapshot of the current state (copied once per change, then cached). */
  get state(): OrgState {
    this.cached ??= this.builder.snapshot(this.pending)
    return this.cached
  }

  /** Every entry this replica holds, valid or not, in arrival order. */
  entries(): LogEntry[] {
    return [...this.known.values()]
  }

  has(id: string): boolean {
    return this.known.has(id)
  }

  /** Adds entries (duplicates ignored); returns the ones that were new to this replica. */
  add(incoming: Iterable<LogEntry>): LogEntry[] {
    const fresh: LogEntry[] = []
    let needRebuild = false
    for (const e of incoming) {
      if (this.known.has(e.id)) continue
      this.known.set(e.id, e)
      fresh.push(e)
      if (needRebuild || !this.tryFast(e)) needRebuild = true
    }
    if (fresh.length) this.cached = undefined
    if (needRebuild) this.rebuild()
    return fresh
  }

  /**
   * The server's `acceptEntries` on a live replica: all new entries of `incoming` become part of
   * the log, or none does and `membership/bad-log` is thrown. Cheap refusals come first and
   * change nothing (forged, foreign, unauthorised, orphaned, from a revoked device, the old
   * unsigned prekey layout); only an entry that loses in context (an admin's conflict, a bad
   * or stale signed prekey) costs a re-reduction to undo the batch.
   */
  accept(incoming: Iterable<LogEntry>): LogEntry[] {
    const fresh = new Map<string, LogEntry>()
    for (const e of incoming) if (!this.known.has(e.id)) fresh.set(e.id, e)
    if (fresh.size === 0) return []
    const b = this.builder
    const refuse = (e: LogEntry, why: string): never =>
      fail('membership/bad-log', `entry ${e.id.slice(0, 12)} refused: ${why}`)
    const appointedHere = new Set<string>()
    for (const e of fresh.values()) {
      if (e.body.type === 'appoint-admin') appointedHere.add(hex(e.body.certificate.adminKey))
    }
    for (const e of fresh.values()) {
      const why = staticRejection(this.anchor, e)
      if (why) refuse(e, why)
      if (e.parentIds.some((p) => !this.known.has(p) && !fresh.has(p))) {
        refuse(e, 'missing ancestor')
      }
      if (e.type === 'publish-prekey-v1') refuse(e, 'unsigned prekey layout')
      if (e.type === 'publish-prekey') {
        const device = b.deviceByKey.get(e.authorId)
        if (device !== undefined && b.revokedDevices.has(device)) refuse(e, 'device is revoked')
      } else if (
        e.authorId !== b.rootHex && !b.appointments.has(e.authorId) &&
        !appointedHere.has(e.authorId)
      ) {
        refuse(e, 'author is not an admin')
      }
    }
    this.add(fresh.values())
    const state = this.state
    const bad = state.rejected.find((r) => fresh.has(r.id)) ??
      state.pending.map((id) => ({ id, reason: 'missing ancestor' })).find((r) => fresh.has(r.id))
    const revokedPrekey = [...fresh.values()].find((e) => {
      if (e.type !== 'publish-prekey') return false
      const device = this.builder.deviceByKey.get(e.authorId)
      return device !== undefined && this.builder.revokedDevices.has(device)
    })
    if (bad || revokedPrekey) {
      for (const id of fresh.keys()) this.known.delete(id)
      this.cached = undefined
      this.rebuild()
      fail(
        'membership/bad-log',
        bad
          ? `entry ${bad.id.slice(0, 12)} refused: ${bad.reason}`
          : `entry ${revokedPrekey!.id.slice(0, 12)} refused: device is revoked`,
      )
    }
    return state.log.filter((e) => fresh.has(e.id))
  }

  private rebuild(): void {
    const { builder, placed } = buildOrgLog(this.anchor, this.known.values())
    this.builder = builder
    this.depth = placed.depth
    this.pending = placed.pending
    this.maxDepth = -1
    for (const d of placed.depth.values()) if (d > this.maxDepth) this.maxDepth = d
    this.stats.full++
  }

  /**
   * The O(1) path. Sound only when the full reducer would place `e` last and nothing before it
   * could change: nothing pending, every parent placed, depth above every placed entry, and not
   * an admin appointment or revocation (those change authority over the whole past).
   */
  private tryFast(e: LogEntry): boolean {
    if (this.pending.length > 0) return false
    if (e.type === 'appoint-admin' || e.type === 'revoke-admin') return false
    let d = 0
    for (const p of e.parentIds) {
      const pd = this.depth.get(p)
      if (pd === undefined) return false
      d = Math.max(d, pd + 1)
    }
    if (d <= this.maxDepth) return false
    const b = this.builder
    // An issuance that conflicts with any earlier one may void that one too (rule 5): re-reduce.
    if (e.body.type === 'issue-device') {
      const c = e.body.certificate
      if (
        b.voidIssuances.size > 0 || b.devices.has(hex(c.deviceId)) ||
        b.deviceByKey.has(hex(c.signingPublicKey)) || b.ranges.overlaps(c.clientIdRange)
      ) return false
    }
    const why = staticRejection(this.anchor, e)
    if (why) {
      b.reject(e, why) // not placed: the DAG and the order are unchanged
      this.stats.fast++
      return true
    }
    this.depth.set(e.id, d)
    this.maxDepth = d
    b.trackAppointments(e)
    // A new entry is in the causal past of no existing revocation: a revoked admin's is void.
    b.step(e)
    this.stats.fast++
    return true
  }
}
