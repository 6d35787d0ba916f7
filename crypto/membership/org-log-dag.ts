// The org log as a DAG: place entries whose ancestors are all present, order them
// deterministically by (depth, hash), and walk ancestors (DESIGN §4).

import type { LogEntry } from './log-entry.ts'

export interface PlacedLog {
  /** Placed entries sorted by (depth, id): a topological order every replica shares. */
  order: LogEntry[]
  depth: Map<string, number>
  /** Entries with a missing (or invalid) ancestor, sorted. */
  pending: string[]
}

/**
 * Kahn's algorithm over integer indices, without recursion (a 10,000-entry chain must not blow
 * the stack). An entry's depth is 1 + the largest depth of its parents, so sorting by depth is a
 * topological order, and the hash breaks ties identically everywhere, whatever the arrival order.
 */
export function placeEntries(byId: ReadonlyMap<string, LogEntry>): PlacedLog {
  const entries = [...byId.values()]
  const n = entries.length
  const index = new Map<string, number>()
  for (let i = 0; i < n; i++) index.set(entries[i].id, i)
  const waiting = new Float64Array(n)
  const parents: number[][] = new Array(n)
  const children: (number[] | undefined)[] = new Array(n)
  const ready: number[] = []
  for (let i = 0; i < n; i++) {
    const ps: number[] = []
    for (const p of entries[i].parentIds) {
      const j = index.get(p)
      if (j === undefined) waiting[i] = Infinity
      else {
        ps.push(j)
        waiting[i]++
        ;(children[j] ??= []).push(i)
      }
    }
    parents[i] = ps
    if (waiting[i] === 0) ready.push(i)
  }
  const depthOf = new Int32Array(n).fill(-1)
  while (ready.length > 0) {
    const i = ready.pop()!
    let d = 0
    for (const j of parents[i]) if (depthOf[j] + 1 > d) d = depthOf[j] + 1
    depthOf[i] = d
    for (const c of children[i] ?? []) if (--waiting[c] === 0) ready.push(c)
  }
  const placed: number[] = []
  const pending: string[] = []
  const depth = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    if (depthOf[i] < 0) pending.push(entries[i].id)
    else {
      placed.push(i)
      depth.set(entries[i].id, depthOf[i])
    }
  }
  placed.sort((a, b) => depthOf[a] - depthOf[b] || (entries[a].id < entries[b].id ? -1 : 1))
  pending.sort()
  return { order: placed.map((i) => entries[i]), depth, pending }
}

/** `start` and everything reachable by following `next` (parents or children), iteratively. */
export function closure(start: string, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>([start])
  const stack = [start]
  while (stack.length > 0) {
    for (const n of next(stack.pop()!)) {
      if (!seen.has(n)) {
        seen.add(n)
        stack.push(n)
      }
    }
  }
  return seen
}
