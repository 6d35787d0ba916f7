#!/usr/bin/env node
// Runs the Deno binary that the npm `deno` package installed, without going through `deno task`
// (which, next to a package.json that depends on `deno`, tries to run the ELF as JavaScript).
import { spawn } from 'node:child_process'
import { denoPath } from './lib/deno-path.mjs'

const child = spawn(denoPath(), process.argv.slice(2), { stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
