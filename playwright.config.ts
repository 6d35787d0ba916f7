// Browser tests: Debian's Chromium driven by Playwright, against the real `npm start` server
// (signaling worker + built PWA) on a private port with a throwaway data directory.
import { defineConfig } from '@playwright/test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Set once in the runner process; workers inherit the environment, so tests find the same org.
process.env.CONCH_TEST_PORT ??= '8797'
process.env.CONCH_TEST_DATA ??= mkdtempSync(join(tmpdir(), 'conch-e2e-'))
const port = Number(process.env.CONCH_TEST_PORT)
const data = process.env.CONCH_TEST_DATA

export default defineConfig({
  testDir: 'tests/browser',
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CONCH_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Host candidates as real addresses: separate contexts cannot resolve each other's mDNS names.
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node scripts/start.mjs',
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: { PORT: String(port), CONCH_DATA: data, CONCH_SKIP_BUILD: '1' },
  },
})
