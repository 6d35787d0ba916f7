// Bundles the page harness (support/harness.ts) for Chromium with esbuild (already installed as
// tsx's and vite's dependency), in memory, once per test run.

import { build } from 'esbuild'

let cached: Promise<string> | undefined

export function harnessBundle(): Promise<string> {
  cached ??= build({
    entryPoints: ['tests/browser/support/harness.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  }).then((r) => r.outputFiles[0].text)
  return cached
}

export const HARNESS_HTML = `<!doctype html><meta charset="utf-8"><title>conch harness</title>
<script type="module" src="./harness.js"></script>`
