// A bundle: many org-log entries in one frame, for files, sync and `POST /org/log`
// (docs/protocol/membership.md §7).

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { decodeLogEntry, type LogEntry, MAX_LOG_ENTRY_BYTES } from './log-entry.ts'

export const LOG_BUNDLE_VERSION = 1
export const MAX_BUNDLE_ENTRIES = 1_000_000

export function encodeLogBundle(entries: readonly LogEntry[]): Uint8Array {
  const w = new Writer(1024).u8(LOG_BUNDLE_VERSION).varuint(entries.length)
  for (const e of entries) w.bytes(e.bytes)
  return w.finish()
}

export function decodeLogBundle(bytes: Uint8Array): LogEntry[] {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  if (r.u8() !== LOG_BUNDLE_VERSION) fail('codec/bad-version', 'unknown log bundle version')
  const count = r.varuint(MAX_BUNDLE_ENTRIES)
  // Each entry takes at least two bytes, so a huge count on a short input fails fast.
  if (count > r.remaining) fail('codec/truncated', 'bundle shorter than its count')
  const entries: LogEntry[] = []
  for (let i = 0; i < count; i++) entries.push(decodeLogEntry(r.bytes(MAX_LOG_ENTRY_BYTES)))
  r.end()
  return entries
}
