// One org-log entry: a signed, hash-linked admin action naming the DAG heads its author had seen
// (docs/protocol/membership.md §5).

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { sign, SIGNATURE_LENGTH, signingPublicKey, verify } from '../primitives/ed25519.ts'
import { sha256 } from '../primitives/kdf.ts'
import { LOG_ENTRY_CONTEXT } from './contexts.ts'
import { hex } from './hex.ts'
import {
  encodeLogEntryBody,
  type LogEntryBody,
  type LogEntryType,
  logEntryTypeFromNumber,
  logEntryTypeNumber,
  readLogEntryBody,
} from './log-entry-body.ts'
import { ORG_ID_LENGTH, PUBLIC_KEY_LENGTH } from './org-anchor.ts'

export const LOG_ENTRY_VERSION = 1
export const HASH_LENGTH = 32
export const MAX_HEADS = 256
export const MAX_LOG_ENTRY_BYTES = 16 * 1024

export interface LogEntry {
  /** The whole encoded entry, signature included. */
  bytes: Uint8Array
  /** sha256(bytes): the entry's name in `heads` and in the DAG. */
  hash: Uint8Array
  /** hex(hash), precomputed because every index keys on it. */
  id: string
  orgId: Uint8Array
  type: LogEntryType
  /** Signing key of the author: the root, an admin, or (for prekeys) the device itself. */
  author: Uint8Array
  /** hex(author), precomputed for the same reason. */
  authorId: string
  /** Author's clock, ms since epoch. Audit information only: never used for ordering. */
  timestamp: number
  /** Hashes of the entries the author had seen as heads, strictly ascending. */
  heads: Uint8Array[]
  /** hex of each head, in the same order. */
  parentIds: string[]
  body: LogEntryBody
  signature: Uint8Array
}

export interface NewLogEntry {
  orgId: Uint8Array
  authorSecretKey: Uint8Array
  timestamp: number
  heads: Uint8Array[]
  body: LogEntryBody
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}

/** Signs a new entry. Heads are sorted and de-duplicated here, as the grammar requires. */
export function createLogEntry(entry: NewLogEntry): LogEntry {
  const heads = [...entry.heads].sort(compareBytes).filter((h, i, all) =>
    i === 0 || compareBytes(all[i - 1], h) !== 0
  )
  if (heads.length > MAX_HEADS) throw new RangeError('too many heads')
  const w = new Writer(256)
    .u8(LOG_ENTRY_VERSION)
    .fixed(entry.orgId, ORG_ID_LENGTH, 'orgId')
    .u8(logEntryTypeNumber(entry.body.type))
    .fixed(signingPublicKey(entry.authorSecretKey), PUBLIC_KEY_LENGTH, 'author')
    .u64(entry.timestamp)
    .varuint(heads.length)
  for (const h of heads) w.fixed(h, HASH_LENGTH, 'head')
  w.bytes(encodeLogEntryBody(entry.body))
  const signed = w.finish()
  const signature = sign(entry.authorSecretKey, LOG_ENTRY_CONTEXT, signed)
  return decodeLogEntry(new Writer(signed.length + 64).raw(signed).raw(signature).finish())
}

/** Pure, distrustful decode (no signature check: that is the reducer's job). */
export function decodeLogEntry(bytes: Uint8Array): LogEntry {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  if (bytes.length > MAX_LOG_ENTRY_BYTES) fail('codec/too-long', 'log entry too long')
  const r = new Reader(bytes)
  if (r.u8() !== LOG_ENTRY_VERSION) fail('codec/bad-version', 'unknown log entry version')
  const orgId = r.fixed(ORG_ID_LENGTH)
  const type = logEntryTypeFromNumber(r.u8())
  const author = r.fixed(PUBLIC_KEY_LENGTH)
  const timestamp = r.u64()
  const headCount = r.varuint(MAX_HEADS)
  const heads: Uint8Array[] = []
  for (let i = 0; i < headCount; i++) {
    const head = r.fixed(HASH_LENGTH)
    if (i > 0 && compareBytes(heads[i - 1], head) >= 0) {
      fail('codec/bad-value', 'heads must be strictly ascending')
    }
    heads.push(head)
  }
  const bodyBytes = r.bytes(MAX_LOG_ENTRY_BYTES)
  const signature = r.fixed(SIGNATURE_LENGTH)
  r.end()
  const br = new Reader(bodyBytes)
  const body = readLogEntryBody(br, type)
  br.end()
  const copy = bytes.slice()
  const hash = sha256(copy)
  return {
    bytes: copy,
    hash,
    id: hex(hash),
    orgId,
    type,
    author,
    authorId: hex(author),
    timestamp,
    heads,
    parentIds: heads.map(hex),
    body,
    signature,
  }
}

const verified = new WeakMap<LogEntry, boolean>()

/** The signed part of an entry: everything but the trailing signature. */
export function logEntrySignedBytes(entry: LogEntry): Uint8Array {
  return entry.bytes.subarray(0, entry.bytes.length - SIGNATURE_LENGTH)
}

/** Seeds the memo with a result computed elsewhere (preverify-log.ts, a strict native verifier). */
export function rememberLogEntrySignature(entry: LogEntry, ok: boolean): void {
  verified.set(entry, ok)
}

/**
 * True when `entry.author` signed the entry. Memoised per decoded object: entries are immutable
 * once decoded (decode copies its input), and the reducer re-checks the same entries often.
 */
export function logEntrySignatureValid(entry: LogEntry): boolean {
  let ok = verified.get(entry)
  if (ok === undefined) {
    ok = verify(entry.author, LOG_ENTRY_CONTEXT, logEntrySignedBytes(entry), entry.signature)
    verified.set(entry, ok)
  }
  return ok
}
