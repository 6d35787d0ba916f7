// Which libp2p peers hold an authenticated Conch link right now (a device proved its org
// certificate on it). The always-on peer lends relay capacity only to them.

export class AuthenticatedPeers {
  private readonly counts = new Map<string, number>()
  private readonly waiters = new Map<string, Set<() => void>>()
  denied = 0
  granted = 0

  add(peerId: string): void {
    this.counts.set(peerId, (this.counts.get(peerId) ?? 0) + 1)
    for (const wake of this.waiters.get(peerId) ?? []) wake()
    this.waiters.delete(peerId)
  }

  remove(peerId: string): void {
    const n = (this.counts.get(peerId) ?? 0) - 1
    if (n > 0) this.counts.set(peerId, n)
    else this.counts.delete(peerId)
  }

  has(peerId: string): boolean {
    return this.counts.has(peerId)
  }

  /**
   * True once `peerId` is authenticated, false if it is not within `ms`: a device's relay
   * reservation races its link handshake on a fresh connection, so the request waits a little.
   */
  async admit(peerId: string, ms: number): Promise<boolean> {
    let ok = this.has(peerId)
    if (!ok) {
      ok = await new Promise<boolean>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          resolve(true)
        }
        const timer = setTimeout(() => {
          this.waiters.get(peerId)?.delete(wake)
          resolve(false)
        }, ms)
        let set = this.waiters.get(peerId)
        if (!set) this.waiters.set(peerId, set = new Set())
        set.add(wake)
      })
    }
    if (ok) this.granted++
    else this.denied++
    return ok
  }
}
