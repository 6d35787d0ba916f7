// The provider the app uses: native WebCrypto where the runtime has it, noble otherwise,
// detected once per process.

import type { CryptoProvider } from './crypto-provider.ts'
import { createWebCryptoProvider } from './webcrypto-provider.ts'

let detected: Promise<CryptoProvider> | undefined

/** The fastest trustworthy provider on this runtime (memoised). */
export function defaultProvider(): Promise<CryptoProvider> {
  detected ??= createWebCryptoProvider()
  return detected
}
