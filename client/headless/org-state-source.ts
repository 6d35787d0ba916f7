// The org state the always-on peer checks every link and envelope against: the org log, fetched
// from the signaling worker (GET /org/log) or read from a bundle file, reduced locally. Nothing
// is taken on trust from the source: every entry's signature chain ends at the anchor.

import { decodeLogBundle, type LogEntry } from '../../crypto/membership/index.ts'
import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import { emptyOrgState, type OrgState } from '../../crypto/membership/org-state.ts'
import { reduceOrgLog } from '../../crypto/membership/reduce-org-log.ts'

export interface OrgStateSource {
  current(): OrgState
  /** Fetches again; resolves true when the state changed. Failures keep the last good state. */
  refresh(): Promise<boolean>
}

export function orgStateSource(
  anchor: OrgAnchor,
  load: () => Promise<Uint8Array>,
): OrgStateSource {
  let state = emptyOrgState(anchor)
  let entries = new Map<string, LogEntry>()
  return {
    current: () => state,
    async refresh() {
      let bundle: Uint8Array
      try {
        bundle = await load()
      } catch {
        return false
      }
      const next = new Map(entries)
      for (const e of decodeLogBundle(bundle)) next.set(e.id, e)
      // The log only grows: we merge, never replace, so a source cannot roll a revocation back.
      if (next.size === entries.size) return false
      entries = next
      state = reduceOrgLog(anchor, entries.values())
      return true
    },
  }
}

export function fetchOrgLog(baseUrl: string): () => Promise<Uint8Array> {
  return async () => {
    const res = await fetch(new URL('/org/log', baseUrl))
    if (!res.ok) throw new Error(`org log: HTTP ${res.status}`)
    return new Uint8Array(await res.arrayBuffer())
  }
}
