// Rule 5 for device identities, decided on the whole set so that heads cannot be gamed: two
// authorised issuances that claim the same device id, signing key or client ids conflict. The one
// that had seen the other (its descendant) is void; if neither had seen the other, both are
// void. A late or back-dated entry can therefore never replace an issued device's keys.

import type { ClientIdRange } from './device-certificate.ts'
import { hex } from './hex.ts'
import type { LogEntry } from './log-entry.ts'
import { closure } from './org-log-dag.ts'

export interface IssuanceCandidate {
  entry: LogEntry
  deviceId: string
  signingKey: string
  range: ClientIdRange
}

export function candidateOf(e: LogEntry): IssuanceCandidate | null {
  if (e.body.type !== 'issue-device') return null
  const c = e.body.certificate
  return {
    entry: e,
    deviceId: hex(c.deviceId),
    signingKey: hex(c.signingPublicKey),
    range: c.clientIdRange,
  }
}

/** Pairs of candidates that claim something in common (each pair once). */
function conflictingPairs(
  candidates: IssuanceCandidate[],
): [IssuanceCandidate, IssuanceCandidate][] {
  const pairs = new Map<string, [IssuanceCandidate, IssuanceCandidate]>()
  const add = (a: IssuanceCandidate, b: IssuanceCandidate) => {
    const [x, y] = a.entry.id < b.entry.id ? [a, b] : [b, a]
    pairs.set(x.entry.id + y.entry.id, [x, y])
  }
  for (const key of ['deviceId', 'signingKey'] as const) {
    const groups = new Map<string, IssuanceCandidate[]>()
    for (const c of candidates) {
      const list = groups.get(c[key]) ?? []
      for (const other of list) add(other, c)
      list.push(c)
      groups.set(c[key], list)
    }
  }
  // Overlapping ranges: sweep by start; every range still open overlaps the next one.
  const sorted = [...candidates].sort((a, b) => a.range.start - b.range.start)
  const open: IssuanceCandidate[] = []
  for (const c of sorted) {
    for (let i = open.length - 1; i >= 0; i--) {
      if (open[i].range.end <= c.range.start) open.splice(i, 1)
      else add(open[i], c)
    }
    open.push(c)
  }
  return [...pairs.values()]
}

/** Ids of void issuances, with the reason for each. */
export function voidIssuances(
  candidates: IssuanceCandidate[],
  parentsOf: (id: string) => readonly string[],
): Map<string, string> {
  const out = new Map<string, string>()
  const pastCache = new Map<string, Set<string>>()
  const past = (id: string) => {
    let s = pastCache.get(id)
    if (!s) pastCache.set(id, s = closure(id, parentsOf))
    return s
  }
  for (const [a, b] of conflictingPairs(candidates)) {
    if (past(b.entry.id).has(a.entry.id)) {
      out.set(b.entry.id, 'conflicts with an issued device it had seen')
    } else if (past(a.entry.id).has(b.entry.id)) {
      out.set(a.entry.id, 'conflicts with an issued device it had seen')
    } else {
      out.set(a.entry.id, 'conflicts with a concurrent issuance (both void)')
      out.set(b.entry.id, 'conflicts with a concurrent issuance (both void)')
    }
  }
  return out
}
