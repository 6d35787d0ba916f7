#!/usr/bin/env node
// `npm run bench [-- NAME]`: runs bench/run.ts under tsx (TypeScript with .ts imports on Node 20).
import { spawnSync } from 'node:child_process'
import './lib/node-polyfills.mjs'

const r = spawnSync('node_modules/.bin/tsx', ['bench/run.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ./scripts/lib/node-polyfills.mjs`
      .trim(),
  },
})
process.exit(r.status ?? 1)
