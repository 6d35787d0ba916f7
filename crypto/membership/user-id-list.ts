// Lists of user ids inside org-log bodies (private channel members, membership changes): one
// canonical encoding per set — strictly ascending by UTF-8 bytes (docs/protocol/membership.md §6).

import type { Reader } from '../codec/reader.ts'
import type { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { MAX_USER_ID_BYTES } from './device-certificate.ts'

/** At most this many user ids in one list: 200 × (1 + 64) bytes keeps an entry under 16 KiB. */
export const MAX_USER_IDS_PER_LIST = 200

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

// Bytewise order (log-entry.ts has the same helper; importing it here would close a cycle).
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}

/** Orders user ids by their UTF-8 bytes: the order of the wire, the same in every language. */
export function compareUserIds(a: string, b: string): number {
  return compareBytes(encoder.encode(a), encoder.encode(b))
}

/**
 * The canonical form of a list: sorted by UTF-8 bytes, duplicates dropped. Throws RangeError
 * (a caller bug, not peer input) for an empty or over-long id or too many ids.
 */
export function canonicalUserIds(ids: Iterable<string>, what: string): string[] {
  const sorted = [...new Set(ids)].sort(compareUserIds)
  for (const id of sorted) {
    const n = encoder.encode(id).length
    if (n === 0 || n > MAX_USER_ID_BYTES) {
      throw new RangeError(`${what}: a user id is 1 to ${MAX_USER_ID_BYTES} bytes`)
    }
  }
  if (sorted.length > MAX_USER_IDS_PER_LIST) {
    throw new RangeError(`${what}: at most ${MAX_USER_IDS_PER_LIST} user ids`)
  }
  return sorted
}

/** `count:varuint(≤200) userId:string(64, non-empty)*count`, strictly ascending. */
export function writeUserIdList(w: Writer, ids: Iterable<string>, what: string): Writer {
  const list = canonicalUserIds(ids, what)
  w.varuint(list.length)
  for (const id of list) w.string(id)
  return w
}

export function readUserIdList(r: Reader): string[] {
  const count = r.varuint(MAX_USER_IDS_PER_LIST)
  const out: string[] = []
  let previous: Uint8Array | undefined
  for (let i = 0; i < count; i++) {
    const raw = r.bytes(MAX_USER_ID_BYTES)
    if (raw.length === 0) fail('codec/bad-value', 'empty user id')
    if (previous && compareBytes(previous, raw) >= 0) {
      fail('codec/bad-value', 'user ids must be strictly ascending')
    }
    previous = raw
    try {
      out.push(decoder.decode(raw))
    } catch {
      fail('codec/bad-value', 'invalid UTF-8')
    }
  }
  return out
}
