// admin-keys entry point: Deno I/O (files, network, TTY prompt, exit code) around src/run-cli.ts.

import { fromUtf8 } from '../crypto/codec/bytes.ts'
import { secureRandom } from '../crypto/primitives/random.ts'
import { CliError, type CliIo } from './src/cli-io.ts'
import { runCli } from './src/run-cli.ts'

async function readFile(path: string): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(path)
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`)
  }
}

async function writeFileAtomic(path: string, data: Uint8Array, options?: { secret?: boolean }) {
  const temp = `${path}.tmp-${crypto.randomUUID()}`
  try {
    await Deno.writeFile(temp, data, { mode: options?.secret ? 0o600 : 0o644, createNew: true })
    await Deno.rename(temp, path)
  } catch (e) {
    await Deno.remove(temp).catch(() => {})
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`)
  }
}

/** Reads a line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const encoder = new TextEncoder()
  await Deno.stderr.write(encoder.encode(question))
  Deno.stdin.setRaw(true)
  const bytes: number[] = []
  const buf = new Uint8Array(1)
  try {
    while (true) {
      const n = await Deno.stdin.read(buf)
      if (n === null || buf[0] === 13 || buf[0] === 10) break
      if (buf[0] === 3) throw new CliError('cancelled')
      if (buf[0] === 127 || buf[0] === 8) bytes.pop()
      else bytes.push(buf[0])
    }
  } finally {
    Deno.stdin.setRaw(false)
    await Deno.stderr.write(encoder.encode('\n'))
  }
  return fromUtf8(new Uint8Array(bytes))
}

function makeIo(options: { passphraseFile?: string }): CliIo {
  return {
    readFile,
    writeFileAtomic,
    mkdirp: (path) => Deno.mkdir(path, { recursive: true }),
    async post(url, body) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: body.slice(),
      })
      return { status: res.status, text: await res.text() }
    },
    async get(url) {
      const res = await fetch(url, { headers: { accept: 'application/octet-stream' } })
      return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) }
    },
    now: () => Date.now(),
    random: secureRandom,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    async passphrase(kind) {
      const fromEnv = Deno.env.get('CONCH_ADMIN_PASSPHRASE')
      if (fromEnv) return fromEnv
      if (options.passphraseFile) {
        const bytes = await readFile(options.passphraseFile)
        if (bytes === null) throw new CliError(`${options.passphraseFile} not found`)
        return fromUtf8(bytes).replace(/\r?\n$/, '')
      }
      if (!Deno.stdin.isTerminal()) {
        throw new CliError(
          'no passphrase: set CONCH_ADMIN_PASSPHRASE or pass --passphrase-file (stdin is not a terminal)',
        )
      }
      const first = await promptHidden('org root passphrase: ')
      if (kind === 'new' && (await promptHidden('again: ')) !== first) {
        throw new CliError('the passphrases differ; nothing was created')
      }
      return first
    },
  }
}

if (import.meta.main) {
  const code = await runCli(Deno.args, { env: (n) => Deno.env.get(n), makeIo })
  Deno.exit(code)
}
