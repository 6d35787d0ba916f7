// Which libp2p peers hold an authenticated Conch link right now, and as which devices (a device
// proved its org certificate on it). The always-on peer lends relay capacity and gossip only to
// them.

export class AuthenticatedPeers {
  /** peer id -> device hex -> open authenticated links */
  private readonly byPeer = new Map<string, Map<string, number>>()
  private readonly waiters = new Map<string, Set<() => void>>()
  denied = 0
  granted = 0

  add(peerId: string, deviceHex: string): void {
    let devices = this.byPeer.get(peerId)
    if (!devices) this.byPeer.set(peerId, devices = new Map())
    devices.set(deviceHex, (devices.get(deviceHex) ?? 0) + 1)
    for (const wake of this.waiters.get(peerId) ?? []) wake()
    this.waiters.delete(peerId)
  }

  /** Returns true when that was the peer's last authenticated link. */
  remove(peerId: string, deviceHex: string): boolean {
    const devices = this.byPeer.get(peerId)
    if (!devices) return false
    const n = (devices.get(deviceHex) ?? 0) - 1
    if (n > 0) devices.set(deviceHex, n)
    else devices.delete(deviceHex)
    if (devices.size > 0) return false
    this.byPeer.delete(peerId)
    return true
  }

  has(peerId: string): boolean {
    return this.byPeer.has(peerId)
  }

  /** The devices (hex ids) `peerId` proved on its open links; usually exactly one. */
  devices(peerId: string): string[] {
    return [...(this.byPeer.get(peerId)?.keys() ?? [])]
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
