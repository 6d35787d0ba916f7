// Runs axe-core (the npm package, injected into the page) and returns the serious and critical
// violations, each with the selectors it found them at.
import type { Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

export interface AxeFinding {
  id: string
  impact: string
  help: string
  targets: string[]
}

export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  // evaluate() runs outside the page's CSP, which forbids injected script tags.
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const axe = (globalThis as any).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] },
    })
    // deno-lint-ignore no-explicit-any
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      // deno-lint-ignore no-explicit-any
      targets: v.nodes.map((n: any) => String(n.target)),
    }))
  })
  return (violations as AxeFinding[]).filter((v) =>
    v.impact === 'serious' || v.impact === 'critical'
  )
}
