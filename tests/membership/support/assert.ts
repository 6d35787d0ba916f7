// Minimal assertions for the membership suites, including "throws this ConchError code".

import { isConchError } from '../../../crypto/errors/conch-error.ts'
import type { ConchErrorCode } from '../../../crypto/errors/conch-error.ts'

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new Error(message)
}

export function assertEquals<T>(actual: T, expected: T, message = ''): void {
  const a = JSON.stringify(actual, replacer)
  const e = JSON.stringify(expected, replacer)
  if (a !== e) throw new Error(`${message}\n  actual:   ${a}\n  expected: ${e}`)
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return [...value].map((b) => b.toString(16).padStart(2, '0')).join('')
  }
  if (value instanceof Map) return [...value.entries()].sort(([a], [b]) => (a < b ? -1 : 1))
  if (value instanceof Set) return [...value].sort()
  return value
}

/** Runs `fn` and requires a ConchError with `code` (anything else fails the test). */
export function assertThrowsCode(fn: () => unknown, code: ConchErrorCode, message = ''): void {
  try {
    fn()
  } catch (e) {
    if (isConchError(e, code)) return
    throw new Error(`${message} expected ConchError ${code}, got ${String(e)}`)
  }
  throw new Error(`${message} expected ConchError ${code}, but nothing was thrown`)
}

export async function assertRejectsCode(
  fn: () => Promise<unknown>,
  code: ConchErrorCode,
): Promise<void> {
  try {
    await fn()
  } catch (e) {
    if (isConchError(e, code)) return
    throw new Error(`expected ConchError ${code}, got ${String(e)}`)
  }
  throw new Error(`expected ConchError ${code}, but nothing was thrown`)
}

/** A canonical JSON view of org state, for comparing two reductions byte for byte. */
export function stateFingerprint(state: object): string {
  return JSON.stringify(state, replacer)
}
