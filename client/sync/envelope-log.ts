// The envelopes a device holds for one channel, per author and sequence number: what it reports
// in HAVE (the per-author sequence vector) and what it serves to a peer that lacks them. After a
// history snapshot an author's log starts at a base (seq, hash) it covers without the envelopes.

import { fromHex, toHex } from '../../crypto/codec/bytes.ts'

export interface HeldEnvelope {
  /** Empty for the base of a snapshot (covered, not held: it cannot be served). */
  bytes: Uint8Array
  /** Undefined for a snapshot base. */
  prev: Uint8Array | undefined
  hash: Uint8Array
}

interface AuthorLog {
  envelopes: Map<number, HeldEnvelope>
  base: number
  /** Highest seq such that 1..seq are all held or covered. */
  contiguous: number
  highest: number
}

export interface LogBase {
  author: string
  seq: number
  hash: Uint8Array
}

export class EnvelopeLog {
  private readonly authors = new Map<string, AuthorLog>()

  private log(author: string): AuthorLog {
    let log = this.authors.get(author)
    if (!log) {
      this.authors.set(author, log = { envelopes: new Map(), base: 0, contiguous: 0, highest: 0 })
    }
    return log
  }

  record(author: string, seq: number, held: HeldEnvelope): void {
    const log = this.log(author)
    if (seq <= log.base) return
    log.envelopes.set(seq, held)
    if (seq > log.highest) log.highest = seq
    while (log.envelopes.has(log.contiguous + 1)) log.contiguous++
  }

  /** A snapshot covers 1..seq of `author`, ending in an envelope with `hash`. */
  setBase(author: string, seq: number, hash: Uint8Array): void {
    const log = this.log(author)
    if (seq <= log.contiguous) return
    for (const s of log.envelopes.keys()) if (s <= seq) log.envelopes.delete(s)
    log.envelopes.set(seq, { bytes: new Uint8Array(), prev: undefined, hash })
    log.base = seq - 1
    if (seq > log.highest) log.highest = seq
    log.contiguous = seq
    while (log.envelopes.has(log.contiguous + 1)) log.contiguous++
  }

  bases(): LogBase[] {
    const out: LogBase[] = []
    for (const [author, log] of this.authors) {
      const held = log.envelopes.get(log.contiguous)
      if (held) out.push({ author, seq: log.contiguous, hash: held.hash })
    }
    return out
  }

  /** Held (or covered by a snapshot) at `seq`: duplicates are recognised by this. */
  covers(author: string, seq: number): boolean {
    const log = this.authors.get(author)
    return !!log && (seq <= log.base || log.envelopes.has(seq))
  }

  get(author: string, seq: number): HeldEnvelope | undefined {
    return this.authors.get(author)?.envelopes.get(seq)
  }

  /** The highest seq held of `author` and its hash (to continue our own chain after restart). */
  last(author: string): { seq: number; hash: Uint8Array } | undefined {
    const log = this.authors.get(author)
    const held = log?.envelopes.get(log.highest)
    return held && { seq: log!.highest, hash: held.hash }
  }

  contiguous(author: string): number {
    return this.authors.get(author)?.contiguous ?? 0
  }

  get size(): number {
    let n = 0
    for (const log of this.authors.values()) n += log.envelopes.size
    return n
  }

  haveVector(): { author: Uint8Array; seq: number }[] {
    const out = []
    for (const [author, log] of this.authors) {
      if (log.contiguous > 0) out.push({ author: fromHex(author), seq: log.contiguous })
    }
    return out
  }

  /** Envelopes a peer with vector `have` lacks, in per-author seq order (never snapshot bases). */
  missingFor(have: { author: Uint8Array; seq: number }[]): Uint8Array[] {
    const theirs = new Map(have.map((h) => [toHex(h.author), h.seq]))
    const missing: Uint8Array[] = []
    for (const [author, log] of this.authors) {
      const known = theirs.get(author) ?? 0
      const seqs = [...log.envelopes.keys()].filter((s) => s > known).sort((a, b) => a - b)
      for (const s of seqs) {
        const bytes = log.envelopes.get(s)!.bytes
        if (bytes.length) missing.push(bytes)
      }
    }
    return missing
  }
}
