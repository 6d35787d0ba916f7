// The org log as a DAG: place entries whose ancestors are all present, order them
// deterministically by (depth, hash), and walk ancestors/descendants (DESIGN §4).

import type { LogEntry } from './log-entry.ts'

export interface PlacedLog {
  /** Placed entries sorted by (depth, id): a topological order every replica agrees on. */
  order: LogEntry[]
  depth: Map<string, number>
  children: Map<string, string[]>
  /** Entries with a missing (or invalid) ancestor, sorted. */
  pending: string[]
}

/**
 * Kahn's algorithm without recursion (a 10,000-entry chain must not blow the stack). An entry's
 * depth is 1 + the largest depth of its parents, so sorting by depth is a topological order and
 * the hash breaks ties identically everywhere, whatever the arrival order.
 */
export function placeEntries(byId: ReadonlyMap<string, LogEntry>): PlacedLog {
  const waiting = new Map<string, number>()
  const children = new Map<string, string[]>()
  const depth = new Map<string, number>()
  const ready: string[] = []
  for (const [id, e] of byId) {
    let missing = 0
    for (const p of e.parentIds) {
      if (!byId.has(p)) missing = Infinity
      else {
        missing++
        let list = children.get(p)
        if (!list) children.set(p, list = [])
        list.push(id)
      }
    }
    waiting.set(id, missing)
    if (missing === 0) ready.push(id)
  }
  while (ready.length > 0) {
    const id = ready.pop()!
    let d = 0
    for (const p of byId.get(id)!.parentIds) d = Math.max(d, depth.get(p)! + 1)
    depth.set(id, d)
    for (const c of children.get(id) ?? []) {
      const left = waiting.get(c)! - 1
      waiting.set(c, left)
      if (left === 0) ready.push(c)
    }
  }
  const order: LogEntry[] = []
  const pending: string[] = []
  for (const [id, e] of byId) {
    if (depth.has(id)) order.push(e)
    else pending.push(id)
  }
  order.sort((a, b) => depth.get(a.id)! - depth.get(b.id)! || (a.id < b.id ? -1 : 1))
  pending.sort()
  for (const list of children.values()) list.sort()
  return { order, depth, children, pending }
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
