// STYLE habit 9: crypto/ imports only @noble/* (and its own files). Native engines are reached
// as runtime globals (crypto.subtle, process.getBuiltinModule), never as imports.

import { assertEquals } from './assert.ts'

function* typescriptFiles(dir: URL): Generator<URL> {
  for (const entry of Deno.readDirSync(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? '/' : ''), dir)
    if (entry.isDirectory) yield* typescriptFiles(url)
    else if (entry.name.endsWith('.ts')) yield url
  }
}

Deno.test('every import in crypto/ is relative or @noble/*', () => {
  const root = new URL('../../crypto/', import.meta.url)
  const offenders: string[] = []
  let seen = 0
  for (const file of typescriptFiles(root)) {
    const text = Deno.readTextFileSync(file)
    const specifiers = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ]
      .map((m) => m[1])
      .concat([...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]))
    seen += specifiers.length
    for (const s of specifiers) {
      if (!s.startsWith('.') && !s.startsWith('@noble/')) {
        offenders.push(`${file.pathname.split('/crypto/')[1]}: ${s}`)
      }
    }
  }
  assertEquals(offenders, [])
  // The scan really read the imports (so an empty list means something).
  assertEquals(seen > 150, true)
})
