// Private channels' member lists, and remove wins (docs/protocol/membership.md §9 rule 7): an add
// of user U to channel C counts only if every applied removal of U from C that precedes it in the
// shared order is in its causal past. A removal that follows it removes U anyway, so this equals
// "every removal of U from C is in the add's causal past", whatever the arrival order.

import type { LogEntry } from './log-entry.ts'
import type { ChannelRecord } from './org-state.ts'

export class PrivateChannelMembers {
  /** Per entry id: the applied removals in its causal past (inclusive), one bit each. */
  private readonly past = new Map<string, bigint>()
  /** Per `channelHex/userId`: the bits of every applied removal of that user from that channel. */
  private readonly removals = new Map<string, bigint>()
  private count = 0
  /** Live, mutable member sets; copied into immutable records only by `flush` (snapshots). */
  private readonly live = new Map<string, Set<string>>()
  private readonly changed = new Set<string>()

  /**
   * Records which removals are in `e`'s causal past: its parents' (all placed earlier, as the
   * walk is topological). Called for every placed entry, rejected ones included — their
   * descendants still have them in their past.
   */
  inherit(e: LogEntry): void {
    // BigInts are immutable: an entry with one contributing parent shares that parent's mask (a
    // chain of entries costs O(1) each, not O(removals)).
    let mask: bigint | undefined
    for (const p of e.parentIds) {
      const m = this.past.get(p)
      if (m !== undefined) mask = mask === undefined || mask === m ? m : mask | m
    }
    if (mask !== undefined) this.past.set(e.id, mask)
  }

  created(channelHex: string, members: readonly string[]): void {
    this.live.set(channelHex, new Set(members))
  }

  /** Applies one authorised `channel-members` entry to a live private channel. */
  apply(e: LogEntry, channelHex: string, add: readonly string[], remove: readonly string[]): void {
    const members = this.live.get(channelHex)!
    for (const u of add) if (this.addCounts(e.id, channelHex, u)) members.add(u)
    for (const u of remove) members.delete(u)
    this.changed.add(channelHex)
    if (remove.length === 0) return
    // The removal gets a bit that its descendants inherit.
    const bit = 1n << BigInt(this.count++)
    this.past.set(e.id, (this.past.get(e.id) ?? 0n) | bit)
    for (const u of remove) {
      const key = `${channelHex}/${u}`
      this.removals.set(key, (this.removals.get(key) ?? 0n) | bit)
    }
  }

  /** True when every applied removal of `userId` from the channel is in entry `id`'s past. */
  private addCounts(id: string, channelHex: string, userId: string): boolean {
    const removed = this.removals.get(`${channelHex}/${userId}`)
    return removed === undefined || (removed & (this.past.get(id) ?? 0n)) === removed
  }

  /**
   * Writes a fresh record (with a copy of the member set) for every channel changed since the
   * last flush, so a record handed out never changes. True if any was written.
   */
  flush(channels: Map<string, ChannelRecord>): boolean {
    for (const id of this.changed) {
      const ch = channels.get(id)!
      channels.set(id, { ...ch, members: new Set(this.live.get(id)) })
    }
    const any = this.changed.size > 0
    this.changed.clear()
    return any
  }
}
