#!/usr/bin/env node
// `npm start`: build the PWA, create the local development org on first run, start the Deno
// signaling worker (which also serves the PWA) and print where Conch is running.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { denoPath } from './lib/deno-path.mjs'

const port = Number(process.env.PORT ?? 8787)
const dataDir = resolve(process.env.CONCH_DATA ?? '.conch')
const base = `http://localhost:${port}`

function fatal(message) {
  console.error(`conch: ${message}`)
  process.exit(1)
}

if (process.env.CONCH_SKIP_BUILD !== '1') {
  console.log('Building the PWA…')
  const build = spawnSync('node_modules/.bin/vite', [
    'build',
    '--config',
    'client/vite.config.ts',
    '--logLevel',
    'warn',
  ], {
    stdio: 'inherit',
  })
  if (build.status !== 0) fatal('the PWA build failed (see above).')
}
if (!existsSync('client/dist/index.html')) {
  fatal('client/dist is missing: run `npm run build` first.')
}

mkdirSync(dataDir, { recursive: true })

/**
 * The development org's keystore passphrase: CONCH_ADMIN_PASSPHRASE if set, otherwise one made
 * on first run and kept beside the data (0600). Fine for a laptop org; a real org's admins keep
 * their own passphrase and run `npm run admin -- init` themselves.
 */
function devPassphrase() {
  if (process.env.CONCH_ADMIN_PASSPHRASE) return process.env.CONCH_ADMIN_PASSPHRASE
  const file = join(dataDir, 'dev-passphrase')
  if (!existsSync(file)) {
    writeFileSync(`${file}.tmp`, randomBytes(24).toString('base64url') + '\n', { mode: 0o600 })
    renameSync(`${file}.tmp`, file)
  }
  return readFileSync(file, 'utf8').trim()
}

/** Runs the admin-keys CLI against the dev org and returns its stdout; exits on failure. */
function adminKeys(args, dir, pass) {
  const r = spawnSync(
    denoPath(),
    [
      'run',
      '--allow-read',
      '--allow-write',
      '--allow-env',
      '--allow-net',
      'admin-keys/main.ts',
      ...args,
      '--data',
      dir,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, CONCH_ADMIN_PASSPHRASE: pass },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  if (r.status !== 0) fatal(`admin-keys ${args[0]} failed: ${(r.stderr || r.stdout || '').trim()}`)
  return r.stdout
}

const adminDir = join(dataDir, 'admin')
const passphrase = devPassphrase()
const admin = (...args) => adminKeys(args, adminDir, passphrase)

if (!existsSync(join(adminDir, 'org-anchor.txt'))) {
  console.log(`Creating the development org in ${adminDir}…`)
  admin('init')
  // Its first channel, so an approved device has somewhere to talk (Sender Keys, org members).
  admin('channel', 'create', 'general')
}
const anchor = readFileSync(join(adminDir, 'org-anchor.txt'), 'utf8').trim()
const inviteLink = admin('invite', '--signaling', base, '--max-uses', '5', '--expires', '7d').trim()

const worker = spawn(
  denoPath(),
  [
    'run',
    '--allow-net',
    '--allow-read',
    '--allow-write',
    '--allow-env',
    '--unstable-kv',
    'signaling/main.ts',
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      CONCH_DATA: dataDir,
      CONCH_ORG_ROOT: anchor,
      CONCH_STATIC_DIR: resolve('client/dist'),
    },
  },
)

let announced = false
worker.stdout.setEncoding('utf8')
worker.stdout.on('data', (chunk) => {
  process.stdout.write(chunk)
  if (!announced && /listening/.test(chunk)) {
    announced = true
    // Bring the worker up to date with everything admins signed while it was down.
    admin('publish', '--signaling', base)
    console.log(`\nConch is running at ${base}`)
    console.log(
      `\nAdmin invite link (open it in a browser to join this development org):\n  ${inviteLink}`,
    )
    console.log(
      '\nApprove a device: copy the request code it shows, then run (passphrase in ' +
        `${join(dataDir, 'dev-passphrase')})\n` +
        `  npm run admin -- approve --data ${adminDir} --code REQUEST_CODE --user ID --roles member,admin\n` +
        `  npm run admin -- publish --data ${adminDir} --signaling ${base}\n` +
        'and paste the printed approval code into the app.',
    )
    console.log('Press Ctrl-C to stop.')
  }
})

let stopping = false
function stop(signal) {
  if (stopping) return
  stopping = true
  worker.kill(signal)
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
worker.on('exit', (code, signal) => {
  if (stopping) {
    console.log('Conch stopped.')
    process.exit(0)
  }
  fatal(`the signaling worker exited (${signal ?? `code ${code}`}).`)
})
