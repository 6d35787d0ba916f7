// Benchmark runner: `npm run bench [-- NAME]` runs bench/NAME.bench.ts (or all of them), writes
// bench/results/NAME.json and prints a table of ours vs anchor with ratios (> 1 means we win).

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchRow } from './bench-row.ts'

const here = dirname(fileURLToPath(import.meta.url))
const wanted = process.argv[2]
const names = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .filter((n) => !wanted || n === wanted)
  .sort()

if (names.length === 0) {
  console.error(
    wanted ? `no benchmark named ${wanted} (bench/${wanted}.bench.ts)` : 'no benchmarks in bench/',
  )
  process.exit(1)
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3)
}

mkdirSync(join(here, 'results'), { recursive: true })
for (const name of names) {
  console.log(`\n## ${name}`)
  const mod = await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)
  const rows: BenchRow[] = await mod.default()
  writeFileSync(join(here, 'results', `${name}.json`), JSON.stringify(rows, null, 2) + '\n')
  const table = rows.map((r) => ({
    case: r.case,
    unit: r.unit,
    ours: fmt(r.ours),
    anchor: `${fmt(r.anchor)} (${r.anchorName})`,
    ratio: `${r.ratio.toFixed(2)}×`,
  }))
  console.table(table)
  console.log(`wrote bench/results/${name}.json`)
}
