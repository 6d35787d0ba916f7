// Context labels: every signature and every KDF info string names its purpose, so a value made
// for one purpose can never be accepted for another (cross-protocol replay).

import { concatBytes, utf8 } from '../codec/bytes.ts'

export const LABEL_PREFIX = 'conch/v1/'

/**
 * Bytes that prefix a signed message: u8 length || "conch/v1/<context>".
 * The length prefix keeps ("ab", m) and ("a", "b"||m) apart.
 */
export function labelBytes(context: string): Uint8Array {
  const cached = labelCache.get(context)
  if (cached) return cached.slice()
  if (!/^[a-z0-9][a-z0-9/._-]*$/.test(context) || context.length > 200) {
    throw new RangeError(`bad context label: ${context}`)
  }
  const text = utf8(LABEL_PREFIX + context)
  const label = concatBytes(new Uint8Array([text.length]), text)
  if (labelCache.size < 256) labelCache.set(context, label)
  return label.slice()
}

// Labels are few and fixed; caching skips the regex and UTF-8 encode on every signature.
// Callers only ever read a label (it is concatenated), and get a copy on first use anyway.
const labelCache = new Map<string, Uint8Array>()
