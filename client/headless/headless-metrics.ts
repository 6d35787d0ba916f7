// The always-on peer's metrics in the Prometheus text exposition format 0.0.4 (as the signaling
// worker's): every number in the metrics object becomes a `conch_headless_*` gauge, and maps of
// counts by reason become one series per reason label.

export function renderPrometheus(
  metrics: Record<string, unknown>,
  prefix = 'conch_headless',
): string {
  const lines: string[] = []
  const walk = (value: unknown, name: string) => {
    if (typeof value === 'number' && Number.isFinite(value)) {
      lines.push(`# TYPE ${name} gauge`, `${name} ${value}`)
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value)
      // `rejected: { 'bad-signature': 2 }` style maps: one labelled series per key.
      if (isReasonMap(name, entries)) {
        lines.push(`# TYPE ${name} gauge`)
        for (const [k, v] of entries) lines.push(`${name}{reason="${escape(k)}"} ${v}`)
        return
      }
      for (const [k, v] of entries) walk(v, `${name}_${snake(k)}`)
    }
  }
  walk(metrics, prefix)
  return lines.join('\n') + '\n'
}

function isReasonMap(name: string, entries: [string, unknown][]): boolean {
  return /_(rejected)$/.test(name) && entries.every(([, v]) => typeof v === 'number')
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/[^a-z0-9_]/g, '_')
}

function escape(label: string): string {
  return label.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
