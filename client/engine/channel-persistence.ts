// A channel's local storage life cycle: restore (snapshot, envelopes, updates, history bases)
// into the document and the envelope log, and compaction of stored updates into one snapshot.

import * as Y from 'yjs'
import type { EnvelopeStore } from '../storage/envelope-store.ts'
import { decodeEnvelope } from '../sync/envelope.ts'
import type { EnvelopeLog, LogBase } from '../sync/envelope-log.ts'
import { REMOTE } from './receive-pipeline.ts'

/** Compact stored plaintext updates into one snapshot after at least this many. */
export const DEFAULT_COMPACT_EVERY = 500

export class ChannelPersistence {
  private updatesSinceSnapshot: { author: string; seq: number }[] = []
  /** Authors whose early envelopes we hold only as a history snapshot. */
  private readonly historyBases = new Map<string, LogBase>()

  constructor(
    private readonly store: EnvelopeStore,
    private readonly channelHex: string,
    private readonly doc: Y.Doc,
    private readonly log: EnvelopeLog,
    private readonly compactEvery = DEFAULT_COMPACT_EVERY,
  ) {}

  /** Loads the stored snapshot, envelopes and updates into the document and the log. */
  async restore(): Promise<void> {
    const snapshot = await this.store.loadSnapshot(this.channelHex)
    const stored = await this.store.listEnvelopes(this.channelHex)
    stored.sort((a, b) => a.seq - b.seq)
    // One transaction for the whole restore (fast). Yjs then sees our own client id in remote
    // structs and picks a new one: the engine sets it back (our certificate fixes our ids).
    this.doc.transact(() => {
      if (snapshot) Y.applyUpdate(this.doc, snapshot.doc, REMOTE)
      for (const row of stored) {
        const d = decodeEnvelope(row.bytes)
        this.log.record(row.author, row.seq, {
          bytes: row.bytes,
          prev: d.envelope.prev,
          hash: d.hash,
        })
        if (row.update) {
          Y.applyUpdate(this.doc, row.update, REMOTE)
          this.updatesSinceSnapshot.push({ author: row.author, seq: row.seq })
        }
      }
      // Envelopes first: a base at or below what is held changes nothing.
      for (const b of snapshot?.vector ?? []) {
        this.log.setBase(b.author, b.seq, b.hash)
        this.historyBases.set(b.author, b)
      }
    }, REMOTE)
  }

  /** A stored update that a later snapshot will cover. */
  noteUpdate(author: string, seq: number): void {
    this.updatesSinceSnapshot.push({ author, seq })
  }

  /** A history snapshot covers `author` up to `base`. */
  noteBase(base: LogBase): void {
    this.historyBases.set(base.author, base)
  }

  /**
   * Geometric: a snapshot costs the whole document, so it waits until as many updates again
   * have piled up as the log holds (amortised O(1) per update).
   */
  async maybeCompact(): Promise<void> {
    const due = Math.max(this.compactEvery, this.log.size / 2)
    if (this.updatesSinceSnapshot.length >= due) await this.compact()
  }

  /** The document as one snapshot replaces the stored updates, in one transaction. */
  async compact(doc = Y.encodeStateAsUpdate(this.doc)): Promise<void> {
    const drop = this.updatesSinceSnapshot.map((u) => ({ channel: this.channelHex, ...u }))
    this.updatesSinceSnapshot = []
    await this.store.commit({
      snapshot: { channel: this.channelHex, doc, vector: [...this.historyBases.values()] },
      dropUpdates: drop,
    })
  }
}
