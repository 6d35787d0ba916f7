// History for new devices (DESIGN §6): a member hands a device that arrives with an empty
// sequence vector the channel as one Yjs snapshot over their pairwise session, in chunks; the
// newcomer reassembles it. Trust: the snapshot is the sharer's word about history (a member's,
// over an authenticated session); every later envelope is checked as usual.

import { toHex } from '../../crypto/codec/bytes.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import {
  decodeChunk,
  decodeHistorySnapshot,
  encodeChunk,
  encodeHistorySnapshot,
  type HistorySnapshot,
  splitIntoChunks,
} from '../sync/history-snapshot.ts'
import { CONTROL_SNAPSHOT, type ControlMessage } from './control-message.ts'

/** Org policy key: `none` turns history sharing off for the org's channels. */
export const HISTORY_POLICY = 'history-sharing'
const MAX_PENDING_SNAPSHOTS = 4

export class HistoryExchange {
  private readonly shared = new Set<string>()
  private readonly incoming = new Map<string, { from: string; chunks: Uint8Array[] }>()

  constructor(private readonly channelId: Uint8Array, private readonly random: RandomSource) {}

  /** True once per device: the caller then sends it a snapshot instead of the whole log. */
  claim(device: string): boolean {
    if (this.shared.has(device)) return false
    this.shared.add(device)
    return true
  }

  /** The control messages carrying `snapshot`, in order. */
  controls(snapshot: HistorySnapshot): ControlMessage[] {
    const bytes = encodeHistorySnapshot(snapshot)
    return splitIntoChunks(this.random(8), bytes).map((chunk) => ({
      type: CONTROL_SNAPSHOT,
      channelId: this.channelId,
      payload: encodeChunk(chunk),
    }))
  }

  /** One chunk from `from`; returns the snapshot once every chunk has arrived. */
  receive(from: string, payload: Uint8Array): HistorySnapshot | undefined {
    const chunk = decodeChunk(payload)
    const id = `${from}/${toHex(chunk.snapshotId)}`
    let entry = this.incoming.get(id)
    if (!entry) {
      if (this.incoming.size >= MAX_PENDING_SNAPSHOTS) {
        this.incoming.delete(this.incoming.keys().next().value!)
      }
      this.incoming.set(id, entry = { from, chunks: new Array(chunk.total) })
    }
    if (entry.chunks.length !== chunk.total) return undefined
    entry.chunks[chunk.index] = chunk.data
    for (let i = 0; i < chunk.total; i++) if (!entry.chunks[i]) return undefined
    this.incoming.delete(id)
    const size = entry.chunks.reduce((n, c) => n + c.length, 0)
    const bytes = new Uint8Array(size)
    let offset = 0
    for (const c of entry.chunks) {
      bytes.set(c, offset)
      offset += c.length
    }
    return decodeHistorySnapshot(bytes)
  }
}
