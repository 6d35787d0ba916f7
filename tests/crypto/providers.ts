// The providers every compliance test runs: noble (the reference) and the native WebCrypto one.

import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import { createWebCryptoProvider } from '../../crypto/provider/webcrypto-provider.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import { seededRandom } from './seeded-random.ts'

export async function allProviders(random?: RandomSource): Promise<CryptoProvider[]> {
  const native = await createWebCryptoProvider({ random })
  const noble = createNobleProvider(random)
  return native.name === 'noble' ? [noble] : [noble, native]
}

/** The native provider without its self-test: so the compliance suite tests the raw engine. */
export function rawNativeProvider(random?: RandomSource): Promise<CryptoProvider> {
  return createWebCryptoProvider({ random, skipSelfTest: true })
}

export function seededProviders(seed: number): Promise<CryptoProvider[]> {
  return allProviders(seededRandom(seed))
}
