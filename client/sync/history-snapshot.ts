// History for a new device (docs/protocol/client.md §History snapshot): the channel's Yjs state
// and, per author, the last envelope (seq, hash) it covers, so the envelope log continues from
// there. Sent over a pairwise session in chunks (each at most CHUNK_BYTES).

import { decodeExactly } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { HASH_LENGTH, ID_LENGTH } from './envelope.ts'

export const SNAPSHOT_VERSION = 1
export const CHUNK_BYTES = 1 << 20
const MAX_CHUNKS = 1024
const MAX_AUTHORS = 100_000
const MAX_DOC_BYTES = MAX_CHUNKS * CHUNK_BYTES

export interface HistorySnapshot {
  vector: { author: Uint8Array; seq: number; hash: Uint8Array }[]
  doc: Uint8Array
}

export interface SnapshotChunk {
  snapshotId: Uint8Array
  index: number
  total: number
  data: Uint8Array
}

export function encodeHistorySnapshot(s: HistorySnapshot): Uint8Array {
  const w = new Writer(s.doc.length + s.vector.length * 56 + 16).u8(SNAPSHOT_VERSION)
  w.varuint(s.vector.length)
  for (const v of s.vector) {
    w.fixed(v.author, ID_LENGTH, 'author').varuint(v.seq).fixed(v.hash, HASH_LENGTH, 'hash')
  }
  return w.bytes(s.doc).finish()
}

export function decodeHistorySnapshot(bytes: Uint8Array): HistorySnapshot {
  return decodeExactly(bytes, (r) => {
    if (r.u8() !== SNAPSHOT_VERSION) fail('codec/bad-version', 'unknown snapshot version')
    const count = r.varuint(MAX_AUTHORS)
    const vector = []
    for (let i = 0; i < count; i++) {
      const author = r.fixed(ID_LENGTH)
      const seq = r.varuint()
      if (seq < 1) fail('codec/bad-value', 'seq starts at 1')
      vector.push({ author, seq, hash: r.fixed(HASH_LENGTH) })
    }
    return { vector, doc: r.bytes(MAX_DOC_BYTES) }
  })
}

export function encodeChunk(c: SnapshotChunk): Uint8Array {
  return new Writer(c.data.length + 24).u8(SNAPSHOT_VERSION).fixed(c.snapshotId, 8, 'snapshotId')
    .varuint(c.index).varuint(c.total).bytes(c.data).finish()
}

export function decodeChunk(bytes: Uint8Array): SnapshotChunk {
  return decodeExactly(bytes, (r) => {
    if (r.u8() !== SNAPSHOT_VERSION) fail('codec/bad-version', 'unknown snapshot version')
    const snapshotId = r.fixed(8)
    const index = r.varuint(MAX_CHUNKS - 1)
    const total = r.varuint(MAX_CHUNKS)
    if (index >= total) fail('codec/bad-value', 'chunk index out of range')
    return { snapshotId, index, total, data: r.bytes(CHUNK_BYTES) }
  })
}

export function splitIntoChunks(snapshotId: Uint8Array, bytes: Uint8Array): SnapshotChunk[] {
  const total = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES))
  if (total > MAX_CHUNKS) throw new RangeError('snapshot too large')
  return Array.from({ length: total }, (_, index) => ({
    snapshotId,
    index,
    total,
    data: bytes.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES),
  }))
}
