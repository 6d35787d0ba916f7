// The receive pipeline of one channel, as explicit serial stages (DESIGN §3, §6): decode ->
// dedupe -> admit (membership) -> authenticate (one signature per author and batch, hash chain
// behind it) -> decrypt -> validate (ownership) -> apply -> persist. An envelope rejected at any
// stage never reaches Y.applyUpdate and is counted by reason; one without its chain key yet is
// parked (in memory, unacknowledged) until the key arrives.

import * as Y from 'yjs'
import { equalBytes, toHex } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import type { EnvelopeStore, StoredEnvelope } from '../storage/envelope-store.ts'
import { authenticateBatch } from '../sync/authenticate-batch.ts'
import { type DecodedEnvelope, decodeEnvelope } from '../sync/envelope.ts'
import type { EnvelopeLog } from '../sync/envelope-log.ts'
import { validateUpdate } from '../sync/update-validator.ts'
import type { PeerLink } from '../transport/peer-link.ts'
import type { ChannelSecurity } from './channel-security.ts'
import type { ChannelStats, Stage } from './channel-stats.ts'

/** Origin of every transaction the pipeline applies: not a local edit, never re-sent. */
export const REMOTE = Symbol('remote')

export interface Accepted {
  d: DecodedEnvelope
  author: string
  /** Undefined on a blind relay (it stores ciphertext only). */
  update?: Uint8Array
}

export interface PipelineParts {
  channelId: Uint8Array
  channelHex: string
  doc: Y.Doc
  log: EnvelopeLog
  security: ChannelSecurity
  store: EnvelopeStore
  stats: ChannelStats
  stageClock?: () => number
  /** Ask the author (through the links) for its chain for `epoch`. */
  requestKey(author: Uint8Array, epoch: number): void
  /** After every apply (the engine keeps its Yjs client id). */
  afterApply(): void
  /** The batch is applied, durable and in the log: forward it, compact, notify. */
  accepted(batch: Accepted[], from: PeerLink | undefined): Promise<void>
}

export class ReceivePipeline {
  /** author -> seq -> envelope waiting for its chain, and the link it came by. */
  readonly parked = new Map<string, Map<number, { d: DecodedEnvelope; from?: PeerLink }>>()

  constructor(private readonly o: PipelineParts) {}

  private time<T>(stage: Stage, run: () => Promise<T>): Promise<T> {
    const clock = this.o.stageClock
    if (!clock) return run()
    const started = clock()
    return run().finally(() => this.o.stats.stageMs[stage] += clock() - started)
  }

  private reject(reason: string, count = 1): void {
    this.o.stats.envelopesRejected += count
    this.o.stats.rejectedByReason[reason] = (this.o.stats.rejectedByReason[reason] ?? 0) + count
  }

  /** The receive pipeline for one frame's envelopes. Any rejection changes nothing. */
  async acceptBatch(raw: Uint8Array[], from: PeerLink | undefined): Promise<void> {
    const byAuthor = new Map<string, DecodedEnvelope[]>()
    for (const bytes of raw) {
      let d: DecodedEnvelope
      try {
        d = decodeEnvelope(bytes)
      } catch (e) {
        if (!isConchError(e)) throw e
        this.reject('malformed')
        continue
      }
      if (!equalBytes(d.envelope.channelId, this.o.channelId)) {
        this.reject('wrong-channel')
        continue
      }
      const author = toHex(d.envelope.author)
      const held = this.o.log.get(author, d.envelope.seq)
      if (held && !equalBytes(held.hash, d.hash)) {
        this.reject('conflicting-replay')
        continue
      }
      if (held || this.o.log.covers(author, d.envelope.seq)) {
        this.o.stats.duplicates++
        continue
      }
      const list = byAuthor.get(author) ?? []
      list.push(d)
      byAuthor.set(author, list)
    }
    const ready: { author: string; d: DecodedEnvelope }[] = []
    for (const [author, batch] of byAuthor) {
      const admitted = batch.filter((d) => {
        const why = this.o.security.admit(author, d)
        if (why) this.reject(why)
        return !why
      })
      if (!admitted.length) continue
      const result = await this.time('verify', () =>
        authenticateBatch(
          admitted,
          (seq) => this.o.log.get(author, seq)?.prev,
          (d) => this.o.security.verify(author, d),
        ))
      this.o.stats.signatureChecks += result.signatureChecks
      if (result.rejected.length) this.reject('bad-signature', result.rejected.length)
      for (const d of result.authenticated) ready.push({ author, d })
    }
    await this.openApplyPersist(ready, from)
  }

  /** Stages after authentication: decrypt, validate, apply, persist (parked ones resume here). */
  private async openApplyPersist(
    ready: { author: string; d: DecodedEnvelope }[],
    from: PeerLink | undefined,
  ): Promise<void> {
    const accepted: Accepted[] = []
    /** The envelopes this batch accepts, so a fork inside one batch is caught too. */
    const inBatch = new Map<string, Uint8Array>()
    for (const { author, d } of ready) {
      if (this.o.log.covers(author, d.envelope.seq)) {
        this.o.stats.duplicates++ // accepted meanwhile by another path
        continue
      }
      const before = inBatch.get(`${author}/${d.envelope.seq - 1}`) ??
        this.o.log.get(author, d.envelope.seq - 1)?.hash
      if (before && !equalBytes(before, d.envelope.prev)) {
        this.reject('broken-chain')
        continue
      }
      const outcome = await this.openAndValidate(author, d, from)
      if (outcome === 'parked' || outcome === 'rejected') continue
      accepted.push({ d, author, update: outcome === 'relay' ? undefined : outcome })
      inBatch.set(`${author}/${d.envelope.seq}`, d.hash)
    }
    if (!accepted.length) return
    this.apply(accepted)
    const rows: StoredEnvelope[] = accepted.map(({ d, author, update }) => ({
      channel: this.o.channelHex,
      author,
      seq: d.envelope.seq,
      bytes: d.bytes,
      update,
    }))
    await this.time('persist', () => this.o.store.commit({ envelopes: rows }))
    for (const { d, author } of accepted) {
      this.o.log.record(author, d.envelope.seq, {
        bytes: d.bytes,
        prev: d.envelope.prev,
        hash: d.hash,
      })
    }
    this.o.stats.envelopesAccepted += accepted.length
    if (from) {
      const via = this.o.stats.acceptedVia
      via[from.kind] = (via[from.kind] ?? 0) + accepted.length
    }
    await this.o.accepted(accepted, from)
  }

  /** decrypt -> validate for one authenticated envelope. */
  private async openAndValidate(
    author: string,
    d: DecodedEnvelope,
    from: PeerLink | undefined,
  ): Promise<Uint8Array | 'relay' | 'parked' | 'rejected'> {
    if (!this.o.security.canRead) return 'relay'
    let update: Uint8Array | 'no-key'
    try {
      update = await this.time('decrypt', () => this.o.security.open(author, d))
    } catch (e) {
      if (!isConchError(e)) throw e
      this.reject('decrypt-failed')
      return 'rejected'
    }
    if (update === 'no-key') {
      const waiting = this.parked.get(author) ?? new Map()
      if (waiting.size < 100_000) waiting.set(d.envelope.seq, { d, from })
      this.parked.set(author, waiting)
      this.o.stats.parked++
      this.o.requestKey(d.envelope.author, d.envelope.epoch)
      return 'parked'
    }
    const rights = this.o.security.rights(author)
    if (rights) {
      const started = this.o.stageClock?.()
      const why = validateUpdate(update, rights)
      if (started !== undefined) this.o.stats.stageMs.validate += this.o.stageClock!() - started
      if (why) {
        this.reject(why)
        return 'rejected'
      }
    }
    return update
  }

  /**
   * Applies a batch's validated updates in one Yjs transaction (observers run once). Measured:
   * 10,000 small updates take ~70 ms this way, ~1.3 s as one Y.mergeUpdates.
   */
  private apply(accepted: { update?: Uint8Array }[]): void {
    const started = this.o.stageClock?.()
    this.o.doc.transact(() => {
      for (const a of accepted) {
        if (!a.update) continue
        try {
          Y.applyUpdate(this.o.doc, a.update, REMOTE)
        } catch {
          this.reject('apply-failed') // validated structs Yjs still refuses: counted, not fatal
        }
      }
    }, REMOTE)
    this.o.afterApply()
    if (started !== undefined) this.o.stats.stageMs.apply += this.o.stageClock!() - started
  }

  async retryParked(author: string): Promise<void> {
    const waiting = this.parked.get(author)
    if (!waiting?.size) return
    this.parked.delete(author)
    // Already authenticated when parked; admission is checked again (the org state may have
    // changed while the key was on its way).
    const byLink = new Map<PeerLink | undefined, { author: string; d: DecodedEnvelope }[]>()
    const bySeq = [...waiting.values()].sort((a, b) => a.d.envelope.seq - b.d.envelope.seq)
    for (const { d, from } of bySeq) {
      const why = this.o.security.admit(author, d)
      if (why) {
        this.reject(why)
        continue
      }
      const list = byLink.get(from) ?? []
      list.push({ author, d })
      byLink.set(from, list)
    }
    for (const [from, list] of byLink) await this.openApplyPersist(list, from)
  }
}
