// Command-line arguments: positionals plus `--flag value`, `--flag=value` and boolean flags.

import { usageError } from './cli-io.ts'

const BOOLEAN_FLAGS = new Set(['broadcast', 'archived', 'private', 'help'])

export class Args {
  readonly positional: string[] = []
  private readonly flags = new Map<string, string[]>()
  private readonly used = new Set<string>()

  constructor(argv: readonly string[]) {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]
      if (a === '--') {
        this.positional.push(...argv.slice(i + 1))
        break
      }
      if (!a.startsWith('--') || a.length === 2) {
        this.positional.push(a)
        continue
      }
      const eq = a.indexOf('=')
      const name = a.slice(2, eq < 0 ? undefined : eq)
      let value: string
      if (eq >= 0) value = a.slice(eq + 1)
      else if (BOOLEAN_FLAGS.has(name)) value = 'true'
      else {
        if (i + 1 >= argv.length) throw usageError(`--${name} needs a value`)
        value = argv[++i]
      }
      const list = this.flags.get(name) ?? []
      list.push(value)
      this.flags.set(name, list)
    }
  }

  get(name: string): string | undefined {
    this.used.add(name)
    const list = this.flags.get(name)
    return list?.[list.length - 1]
  }

  all(name: string): string[] {
    this.used.add(name)
    return this.flags.get(name) ?? []
  }

  require(name: string, what = 'a value'): string {
    const v = this.get(name)
    if (v === undefined || v === '') throw usageError(`missing --${name} (${what})`)
    return v
  }

  bool(name: string): boolean {
    const v = this.get(name)
    return v !== undefined && v !== 'false'
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.get(name)
    if (v === undefined) return fallback
    const n = Number(v)
    if (!Number.isInteger(n) || n < min || n > max) {
      throw usageError(`--${name} must be an integer from ${min} to ${max}`)
    }
    return n
  }

  /** Refuses flags the command did not read: a typo must not be silently ignored. */
  assertAllUsed(): void {
    for (const name of this.flags.keys()) {
      if (!this.used.has(name)) throw usageError(`unknown option --${name}`)
    }
  }
}

/** `90s`, `30m`, `48h`, `7d` (or a bare number of days) -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim())
  if (!m) throw usageError(`bad duration "${text}" (use e.g. 30m, 48h, 7d)`)
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, '': 86_400_000 }[m[2]]!
  return Number(m[1]) * unit
}
