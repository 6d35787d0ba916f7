// The provider the app uses, detected once per process: the runtime's node:crypto where it
// exists (Node, Deno: servers and the headless peer), else WebCrypto (browsers), else noble.
// Each native engine must pass its known-answer self-test first.

import type { CryptoProvider } from './crypto-provider.ts'
import { createNodeCryptoProvider } from './node-crypto-provider.ts'
import { createWebCryptoProvider } from './webcrypto-provider.ts'

let detected: Promise<CryptoProvider> | undefined

/** The fastest trustworthy provider on this runtime (memoised). */
export function defaultProvider(): Promise<CryptoProvider> {
  detected ??= createNodeCryptoProvider({ prefetchKeys: true }).then((p) =>
    p ?? createWebCryptoProvider({ prefetchKeys: true })
  )
  return detected
}
