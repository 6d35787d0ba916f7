// Disjoint Yjs client-id ranges: a sorted set of [start, end) intervals with an overlap check,
// so no device can ever author structs under another device's client ids (DESIGN §6).

import type { ClientIdRange } from './device-certificate.ts'
import { CLIENT_ID_LIMIT } from './device-certificate.ts'
import type { RandomSource } from '../primitives/random.ts'

export class ClientIdRanges {
  private readonly starts: number[] = []
  private readonly ends: number[] = []

  /** Index of the first range whose start is > `value`. */
  private upper(value: number): number {
    let lo = 0
    let hi = this.starts.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.starts[mid] <= value) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  overlaps(range: ClientIdRange): boolean {
    const i = this.upper(range.start)
    if (i > 0 && this.ends[i - 1] > range.start) return true
    return i < this.starts.length && this.starts[i] < range.end
  }

  /** Adds the range unless it overlaps one already present; returns whether it was added. */
  add(range: ClientIdRange): boolean {
    if (this.overlaps(range)) return false
    const i = this.upper(range.start)
    this.starts.splice(i, 0, range.start)
    this.ends.splice(i, 0, range.end)
    return true
  }
}

/** Default block: 2^16 client ids per device, room for 65,536 devices. */
export const CLIENT_ID_BLOCK = 0x10000

/**
 * Picks a free, block-aligned range at random, so two admins issuing concurrently almost never
 * collide (and when they do, the reducer deterministically keeps one).
 */
export function allocateClientIdRange(
  taken: Iterable<ClientIdRange>,
  random: RandomSource,
  size = CLIENT_ID_BLOCK,
): ClientIdRange {
  const ranges = new ClientIdRanges()
  for (const r of taken) ranges.add(r)
  const blocks = Math.floor(CLIENT_ID_LIMIT / size)
  for (let attempt = 0; attempt < 64; attempt++) {
    const b = random(4)
    const index = (((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3]) % blocks
    const range = { start: index * size, end: index * size + size }
    if (!ranges.overlaps(range)) return range
  }
  for (let index = 0; index < blocks; index++) {
    const range = { start: index * size, end: index * size + size }
    if (!ranges.overlaps(range)) return range
  }
  throw new RangeError('no free client id range')
}
