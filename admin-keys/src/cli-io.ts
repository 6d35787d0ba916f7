// Everything the CLI needs from the outside world, injected (STYLE habit 5): main.ts implements it
// with Deno APIs; the logic in src/ never touches Deno directly.

import type { RandomSource } from '../../crypto/primitives/random.ts'

export interface CliIo {
  /** File contents, or null when the file does not exist. */
  readFile(path: string): Promise<Uint8Array | null>
  /** Writes a temp file next to `path`, then renames it over `path` (never half-written). */
  writeFileAtomic(path: string, data: Uint8Array, options?: { secret?: boolean }): Promise<void>
  mkdirp(path: string): Promise<void>
  post(url: string, body: Uint8Array): Promise<{ status: number; text: string }>
  get(url: string): Promise<{ status: number; body: Uint8Array }>
  now(): number
  random: RandomSource
  /** One line of result on stdout (what scripts capture). */
  out(line: string): void
  /** One line of human commentary on stderr. */
  err(line: string): void
  /** The admin passphrase ('new' asks twice when interactive). */
  passphrase(kind: 'unlock' | 'new'): Promise<string>
}

/** A failure the user can act on: printed as one line, no stack trace, non-zero exit. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message)
    this.name = 'CliError'
  }
}

export function usageError(message: string): CliError {
  return new CliError(`${message}\nRun "admin-keys help" for usage.`, 2)
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`
}
