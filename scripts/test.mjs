#!/usr/bin/env node
// `npm test`: every check Conch has, in order. Every stage runs even after a red one, so one run
// shows every failure; the browser stage is skipped when the build failed.
// typecheck -> lint/format -> circular imports -> Deno unit tests -> Vitest -> PWA build -> Playwright.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { ensureSystemPackages } from './lib/system-packages.mjs'
import { denoPath } from './lib/deno-path.mjs'

const deno = denoPath()
const bin = (name) => `node_modules/.bin/${name}`
const only = process.argv[2] // optional: run one stage by name, e.g. `npm test -- deno`

const DENO_DIRS = [
  'crypto',
  'signaling',
  'admin-keys',
  'tests/crypto',
  'tests/membership',
  'tests/signaling',
  'tests/admin-keys',
]
  .filter((d) => existsSync(d))

const stages = [
  ['system', () => ensureSystemPackages()],
  ['tsc', () => run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])],
  ['deno-check', () => run(deno, ['check', ...DENO_DIRS])],
  ['deno-lint', () => run(deno, ['lint'])],
  ['format', () => run(deno, ['fmt', '--check'])],
  ['circular', () => run('node', ['scripts/circular.mjs'])],
  ['docs', () => run('node', ['scripts/protocol-doc.mjs', '--check'])],
  [
    'deno',
    () =>
      run(deno, [
        'test',
        '--allow-all',
        '--parallel',
        ...DENO_DIRS.filter((d) => d.startsWith('tests/')),
      ]),
  ],
  ['vitest', () => run(bin('vitest'), ['run', '--config', 'vitest.config.ts'])],
  [
    'build',
    () => run(bin('vite'), ['build', '--config', 'client/vite.config.ts', '--logLevel', 'warn']),
  ],
  ['browser', () => run(bin('playwright'), ['test', '--config', 'playwright.config.ts'])],
]

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  })
  if (r.error) console.error(r.error.message)
  return r.status === 0
}

let passed = 0
let failed = 0
const failures = []
for (const [name, stage] of stages) {
  if (only && only !== name) continue
  console.log(`\n=== ${name} ===`)
  const started = Date.now()
  const ok = await stage()
  console.log(
    `=== ${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s) ===`,
  )
  if (ok) passed++
  else {
    failed++
    failures.push(name)
    if (name === 'system' || name === 'build') break
  }
}
if (failures.length) console.log(`\nfailed stages: ${failures.join(', ')}`)
console.log(`\nstages: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
