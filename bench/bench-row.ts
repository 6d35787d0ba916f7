// One measured case, ours against an anchor, as written to bench/results/NAME.json.

export interface BenchRow {
  case: string
  unit: string
  ours: number
  anchor: number
  anchorName: string
  /** ours / anchor when higher is better, anchor / ours otherwise: > 1 means we win. */
  ratio: number
  higherIsBetter: boolean
}

export function row(
  name: string,
  unit: string,
  ours: number,
  anchor: number,
  anchorName: string,
  higherIsBetter: boolean,
): BenchRow {
  const ratio = higherIsBetter ? ours / anchor : anchor / ours
  return {
    case: name,
    unit,
    ours,
    anchor,
    anchorName,
    ratio: Math.round(ratio * 1000) / 1000,
    higherIsBetter,
  }
}

/** Median of repeated timings: robust against one slow run on a shared 2-core machine. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs `fn` repeatedly for about `ms` milliseconds and returns operations per second. */
export async function opsPerSecond(
  fn: () => unknown | Promise<unknown>,
  ms = 1000,
): Promise<number> {
  const start = performance.now()
  let n = 0
  while (performance.now() - start < ms) {
    await fn()
    n++
  }
  return n / ((performance.now() - start) / 1000)
}
