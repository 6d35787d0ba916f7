// System packages the test suite needs from Debian: Chromium for browser tests (Playwright cannot
// download its own build here) and redis-server for the signaling scale-out tests.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const CHROMIUM = process.env.CONCH_CHROMIUM ?? '/usr/bin/chromium'
const REDIS = '/usr/bin/redis-server'

export function ensureSystemPackages() {
  const missing = []
  if (!existsSync(CHROMIUM)) missing.push('chromium')
  if (!existsSync(REDIS)) missing.push('redis-server')
  if (missing.length === 0) return true
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot) {
    console.error(
      `Missing for the tests: ${missing.join(', ')}. Install with:\n` +
        `  sudo apt-get install -y ${missing.join(' ')}\n` +
        '(or set CONCH_CHROMIUM to another Chromium binary), then run `npm test` again.',
    )
    return false
  }
  console.log(
    `Installing ${missing.join(', ')} from Debian (apt-get install -y ${missing.join(' ')})…`,
  )
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  if (update.status !== 0) return false
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: 'inherit',
    env,
  })
  return install.status === 0 && existsSync(CHROMIUM) && existsSync(REDIS)
}
