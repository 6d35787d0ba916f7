// Browser tests use Debian's Chromium (Playwright cannot download its own build here).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const CHROMIUM = process.env.CONCH_CHROMIUM ?? '/usr/bin/chromium'

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return true
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot) {
    console.error(
      `Chromium is missing at ${CHROMIUM}. Install it with:\n  sudo apt-get install -y chromium\n` +
        '(or set CONCH_CHROMIUM to another Chromium binary), then run `npm test` again.',
    )
    return false
  }
  console.log(
    "Chromium is missing: installing Debian's chromium package (apt-get install -y chromium)…",
  )
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  if (update.status !== 0) return false
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env,
  })
  return install.status === 0 && existsSync(CHROMIUM)
}
