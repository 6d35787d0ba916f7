// Remove wins for private-channel membership (docs/protocol/membership.md §9 rule 7): an add of
// user U to channel C counts only if every applied removal of U from C that precedes it in the
// shared order is in its causal past. A removal that follows it removes U anyway, so this equals
// "every removal of U from C is in the add's causal past", whatever the arrival order.

import type { LogEntry } from './log-entry.ts'

export class ChannelRemovals {
  /** Per entry id: the applied removals in its causal past (inclusive), one bit each. */
  private readonly past = new Map<string, bigint>()
  /** Per `channelHex/userId`: the bits of every applied removal of that user from that channel. */
  private readonly removals = new Map<string, bigint>()
  private count = 0

  /**
   * Records which removals are in `e`'s causal past: its parents' (all placed earlier, as the
   * walk is topological). Called for every placed entry, rejected ones included — their
   * descendants still have them in their past.
   */
  inherit(e: LogEntry): void {
    let mask = 0n
    for (const p of e.parentIds) mask |= this.past.get(p) ?? 0n
    if (mask !== 0n) this.past.set(e.id, mask)
  }

  /** True when no applied removal of `userId` from the channel is concurrent with entry `id`. */
  addCounts(id: string, channelHex: string, userId: string): boolean {
    const removed = this.removals.get(`${channelHex}/${userId}`)
    if (removed === undefined) return true
    return (removed & ~(this.past.get(id) ?? 0n)) === 0n
  }

  /** Entry `id` removed `userIds` from the channel: it gets a bit its descendants inherit. */
  removed(id: string, channelHex: string, userIds: readonly string[]): void {
    const bit = 1n << BigInt(this.count++)
    this.past.set(id, (this.past.get(id) ?? 0n) | bit)
    for (const u of userIds) {
      const key = `${channelHex}/${u}`
      this.removals.set(key, (this.removals.get(key) ?? 0n) | bit)
    }
  }
}
