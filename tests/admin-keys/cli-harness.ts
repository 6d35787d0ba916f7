// Runs the real admin-keys CLI as a subprocess (Deno.Command) in a temp directory.

const REPO = new URL('../../', import.meta.url).pathname
const MAIN = new URL('../../admin-keys/main.ts', import.meta.url).pathname

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export class CliHarness {
  constructor(
    readonly dir: string,
    readonly env: Record<string, string> = { CONCH_ADMIN_PASSPHRASE: 'correct horse battery' },
  ) {}

  static async create(): Promise<CliHarness> {
    return new CliHarness(await Deno.makeTempDir({ prefix: 'conch-admin-' }))
  }

  get data(): string {
    return `${this.dir}/admin`
  }

  file(name: string): string {
    return `${this.dir}/${name}`
  }

  async run(args: string[], env: Record<string, string> = this.env): Promise<CliResult> {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        'run',
        '--allow-read',
        '--allow-write',
        '--allow-env',
        '--allow-net',
        MAIN,
        '--data',
        this.data,
        ...args,
      ],
      cwd: REPO,
      env: { NO_COLOR: '1', ...env },
      clearEnv: true,
      stdin: 'null',
      stdout: 'piped',
      stderr: 'piped',
    }).output()
    const decoder = new TextDecoder()
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    }
  }

  /** Runs and requires exit 0; returns trimmed stdout. */
  async ok(args: string[]): Promise<string> {
    const r = await this.run(args)
    if (r.code !== 0) {
      throw new Error(`admin-keys ${args.join(' ')} failed (${r.code}): ${r.stderr}`)
    }
    return r.stdout.trim()
  }

  async cleanup(): Promise<void> {
    await Deno.remove(this.dir, { recursive: true })
  }
}

/** A failure must be one clear line: no stack trace, no "at file:///" frames. */
export function assertCleanFailure(r: CliResult, pattern: RegExp): void {
  if (r.code === 0) throw new Error(`expected failure, got success: ${r.stdout}`)
  if (!pattern.test(r.stderr)) throw new Error(`stderr ${JSON.stringify(r.stderr)} !~ ${pattern}`)
  if (/\n\s+at |Stack backtrace|Uncaught/.test(r.stderr)) {
    throw new Error(`stack trace leaked: ${r.stderr}`)
  }
}
