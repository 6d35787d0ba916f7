// Minimal assertions for the crypto tests (no network, so no jsr:@std/assert): node:assert
// underneath, with the std-style names the tests read best with.

import nodeAssert from 'node:assert/strict'
import { type ConchErrorCode, isConchError } from '../../crypto/errors/conch-error.ts'

export function assert(condition: unknown, message?: string): asserts condition {
  nodeAssert.ok(condition, message)
}

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message)
}

export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message)
}

export function assertThrows(fn: () => unknown, message?: string): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  throw new Error(`expected a throw: ${message ?? ''}`)
}

/** Awaits `promise` and requires a ConchError with `code`. */
export async function assertRejectsWith(
  promise: Promise<unknown> | (() => Promise<unknown>),
  code: ConchErrorCode,
  message?: string,
): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (e) {
    if (isConchError(e, code)) return
    throw new Error(`expected ConchError ${code}, got ${e} ${message ?? ''}`)
  }
  throw new Error(`expected ConchError ${code}, nothing thrown ${message ?? ''}`)
}

/** Requires `fn` to throw a ConchError with `code`. */
export function assertThrowsWith(fn: () => unknown, code: ConchErrorCode, message?: string): void {
  try {
    fn()
  } catch (e) {
    if (isConchError(e, code)) return
    throw new Error(`expected ConchError ${code}, got ${e} ${message ?? ''}`)
  }
  throw new Error(`expected ConchError ${code}, nothing thrown ${message ?? ''}`)
}
