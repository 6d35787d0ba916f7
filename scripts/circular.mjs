#!/usr/bin/env node
// Fails when any TypeScript module imports itself through a cycle (STYLE habit 9).
import { parseCircular, parseDependencyTree, prettyCircular } from 'dpdm'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOTS = ['crypto', 'client', 'signaling', 'admin-keys']
function walk(dir, out) {
  let entries = []
  try {
    entries = readdirSync(dir)
  } catch {
    return out
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist') continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p)
  }
  return out
}
const files = ROOTS.flatMap((r) => walk(r, []))
const tree = await parseDependencyTree(files, {
  context: process.cwd(),
  transform: true,
  skipDynamicImports: false,
})
const cycles = parseCircular(tree)
if (cycles.length) {
  console.error(`circular imports (${cycles.length}):\n${prettyCircular(cycles)}`)
  process.exit(1)
}
console.log(`no circular imports in ${files.length} modules`)
