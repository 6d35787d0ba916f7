// Who is here and who is typing in one channel: ephemeral state from directly linked peers, never
// written to the document or storage. A typing signal lapses after TYPING_TTL_MS unless renewed,
// so a peer that vanishes mid-sentence does not leave "typing…" behind.

export const TYPING_TTL_MS = 6_000

export class ChannelPresence {
  private readonly typingUntil = new Map<string, number>()

  constructor(private readonly now: () => number) {}

  /** Returns true when what the UI shows changes. */
  heard(device: string, on: boolean): boolean {
    const was = this.typingUntil.has(device) && this.typingUntil.get(device)! > this.now()
    if (on) this.typingUntil.set(device, this.now() + TYPING_TTL_MS)
    else this.typingUntil.delete(device)
    return was !== on
  }

  /** A device whose link went down stops typing at once. */
  gone(device: string): boolean {
    return this.typingUntil.delete(device)
  }

  /** Devices typing right now, sorted. */
  typing(): string[] {
    const now = this.now()
    const out: string[] = []
    for (const [device, until] of this.typingUntil) {
      if (until > now) out.push(device)
      else this.typingUntil.delete(device)
    }
    return out.sort()
  }
}
