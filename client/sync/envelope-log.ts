// The envelopes a device holds for one channel, per author and sequence number: what it reports
// in HAVE (the per-author sequence vector) and what it serves to a peer that lacks them.

import { fromHex, toHex } from '../../crypto/codec/bytes.ts'

interface Held {
  bytes: Uint8Array
  prev: Uint8Array
  hash: Uint8Array
}

interface AuthorLog {
  envelopes: Map<number, Held>
  /** Highest seq such that 1..seq are all held. */
  contiguous: number
}

export class EnvelopeLog {
  private readonly authors = new Map<string, AuthorLog>()

  record(author: string, seq: number, held: Held): void {
    let log = this.authors.get(author)
    if (!log) this.authors.set(author, log = { envelopes: new Map(), contiguous: 0 })
    log.envelopes.set(seq, held)
    while (log.envelopes.has(log.contiguous + 1)) log.contiguous++
  }

  get(author: string, seq: number): Held | undefined {
    return this.authors.get(author)?.envelopes.get(seq)
  }

  /** The highest seq held of `author` and its hash (to continue our own chain after restart). */
  last(author: string): { seq: number; hash: Uint8Array } | undefined {
    const log = this.authors.get(author)
    if (!log || log.envelopes.size === 0) return undefined
    const seq = Math.max(...log.envelopes.keys())
    return { seq, hash: log.envelopes.get(seq)!.hash }
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

  /** Envelopes a peer with vector `have` lacks, in per-author seq order. */
  missingFor(have: { author: Uint8Array; seq: number }[]): Uint8Array[] {
    const theirs = new Map(have.map((h) => [toHex(h.author), h.seq]))
    const missing: Uint8Array[] = []
    for (const [author, log] of this.authors) {
      const known = theirs.get(author) ?? 0
      const seqs = [...log.envelopes.keys()].filter((s) => s > known).sort((a, b) => a - b)
      for (const s of seqs) missing.push(log.envelopes.get(s)!.bytes)
    }
    return missing
  }
}
