// Locates the platform Deno binary shipped inside the npm `deno` package's optional dependency.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

export function denoPath() {
  const platforms = {
    'linux-x64': ['@deno/linux-x64-glibc'],
    'linux-arm64': ['@deno/linux-arm64-glibc'],
    'darwin-x64': ['@deno/darwin-x64'],
    'darwin-arm64': ['@deno/darwin-arm64'],
    'win32-x64': ['@deno/win32-x64'],
  }
  for (const pkg of platforms[`${process.platform}-${process.arch}`] ?? []) {
    try {
      const dir = dirname(require.resolve(`${pkg}/package.json`))
      const bin = join(dir, process.platform === 'win32' ? 'deno.exe' : 'deno')
      if (existsSync(bin)) return bin
    } catch { /* not installed for this platform */ }
  }
  throw new Error('Deno binary not found: run `npm install` (the `deno` package ships it).')
}
