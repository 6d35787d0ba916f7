// Reads Wycheproof vector files in place from $CONCH_VECTORS (default: ../shared/vectors next to
// the repository); when the folder is absent, says so once and lets the caller skip.

import { fromHex } from '../../crypto/codec/bytes.ts'

export interface WycheproofTest {
  tcId: number
  comment: string
  flags: string[]
  result: 'valid' | 'invalid' | 'acceptable'
  [field: string]: unknown
}

export interface WycheproofGroup {
  tests: WycheproofTest[]
  [field: string]: unknown
}

export function vectorsRoot(): string {
  const fromEnv = Deno.env.get('CONCH_VECTORS')
  if (fromEnv) return fromEnv
  return new URL('../../../shared/vectors', import.meta.url).pathname
}

/** The groups of one Wycheproof file, or undefined (with a note) when the vectors are absent. */
export function loadWycheproof(file: string): WycheproofGroup[] | undefined {
  const path = `${vectorsRoot()}/wycheproof/${file}`
  try {
    const json = JSON.parse(Deno.readTextFileSync(path))
    return json.testGroups as WycheproofGroup[]
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      console.log(`skipping ${file}: no vectors at ${path} (set CONCH_VECTORS)`)
      return undefined
    }
    throw e
  }
}

export function hex(test: WycheproofTest, field: string): Uint8Array {
  return fromHex(String(test[field]))
}

export function describe(test: WycheproofTest): string {
  return `tcId ${test.tcId} (${test.comment}; ${test.flags.join(',')})`
}
