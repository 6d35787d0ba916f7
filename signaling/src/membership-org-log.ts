// The org log the worker holds: a live OrgLogReplica (crypto/membership), persisted through a
// store, never rolled back (only `accept` ever grows it), relayed to other instances if asked.

import { fromHex, toHex } from '../../crypto/codec/bytes.ts'
import {
  decodeLogBundle,
  decodeLogEntry,
  encodeLogBundle,
  entriesNotBelow,
  type LogEntry,
  type OrgAnchor,
  OrgLogReplica,
  type OrgState,
  preverifyLogSignatures,
} from '../../crypto/membership/index.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import type { OrgLogService } from './admission-gate.ts'

/** Where accepted entries live between restarts. Entries are stored by hash: order-free. */
export interface OrgLogStore {
  load(): Promise<Uint8Array[]>
  append(entries: Uint8Array[]): Promise<void>
}

export class MemoryOrgLogStore implements OrgLogStore {
  readonly entries: Uint8Array[] = []
  load(): Promise<Uint8Array[]> {
    return Promise.resolve([...this.entries])
  }
  append(entries: Uint8Array[]): Promise<void> {
    this.entries.push(...entries)
    return Promise.resolve()
  }
}

type Listener = (accepted: Uint8Array, heads: string[]) => void

export class MembershipOrgLog implements OrgLogService {
  private entries: LogEntry[]
  private listeners: Listener[] = []
  /** Set by a scale-out relay: called with each bundle accepted from a local POST. */
  relay: ((bundle: Uint8Array) => void) | undefined

  private constructor(
    readonly anchor: OrgAnchor,
    private readonly store: OrgLogStore,
    private readonly replica: OrgLogReplica,
    private readonly provider: CryptoProvider | undefined,
  ) {
    this.entries = [...replica.state.log]
  }

  /** The reduced org state (admission and re-checks read it). */
  get state(): OrgState {
    return this.replica.state
  }

  /**
   * Loads and re-verifies the stored log (a tampered store loses entries, never gains any).
   * `provider`: native Ed25519 to check entry signatures in batches before the reducer runs.
   */
  static async open(
    anchor: OrgAnchor,
    store: OrgLogStore,
    provider?: CryptoProvider,
  ): Promise<MembershipOrgLog> {
    const decoded: LogEntry[] = []
    for (const bytes of await store.load()) {
      try {
        decoded.push(decodeLogEntry(bytes))
      } catch {
        // unreadable stored entry: skipped; peers will send it again if it was real
      }
    }
    if (provider) await preverifyLogSignatures(decoded, provider)
    return new MembershipOrgLog(anchor, store, new OrgLogReplica(anchor, decoded), provider)
  }

  heads(): string[] {
    return this.state.heads.map(toHex)
  }

  size(): number {
    return this.entries.length
  }

  bundleSince(heads: string[]): Uint8Array {
    if (heads.length === 0) return encodeLogBundle(this.entries)
    return encodeLogBundle(entriesNotBelow(this.entries, heads.map(fromHex)))
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener)
  }

  /** A POSTed bundle: all of its new entries verify, or nothing is taken (membership/bad-log). */
  async acceptBundle(
    body: Uint8Array,
  ): Promise<{ accepted: Uint8Array; count: number; heads: string[] }> {
    const result = await this.apply(await this.preverified(decodeLogBundle(body)))
    if (result.count) this.relay?.(result.accepted)
    return result
  }

  /** A bundle another instance accepted (or the shared log on startup); bad ones are ignored. */
  async acceptRemote(body: Uint8Array): Promise<number> {
    try {
      return (await this.apply(await this.preverified(decodeLogBundle(body)))).count
    } catch {
      return 0
    }
  }

  /** Memoises entry signatures natively; the replica then finds every result ready. */
  private async preverified(entries: LogEntry[]): Promise<LogEntry[]> {
    if (this.provider) await preverifyLogSignatures(entries, this.provider)
    return entries
  }

  private async apply(
    incoming: LogEntry[],
  ): Promise<{ accepted: Uint8Array; count: number; heads: string[] }> {
    // Synchronous up to the store write, so concurrent posts each see the other's entries.
    // All new entries of the batch verify and join, or none does (membership/bad-log).
    const accepted = this.replica.accept(incoming)
    if (accepted.length === 0) {
      return { accepted: encodeLogBundle([]), count: 0, heads: this.heads() }
    }
    this.entries = [...this.replica.state.log]
    const bundle = encodeLogBundle(accepted)
    const heads = this.heads()
    await this.store.append(accepted.map((e) => e.bytes))
    for (const l of this.listeners) l(bundle, heads)
    return { accepted: bundle, count: accepted.length, heads }
  }
}
