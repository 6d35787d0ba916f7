// The providers every compliance and protocol test runs: noble (the reference), native
// WebCrypto and the runtime's node:crypto, each where this runtime has it.

import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import { createNodeCryptoProvider } from '../../crypto/provider/node-crypto-provider.ts'
import { createWebCryptoProvider } from '../../crypto/provider/webcrypto-provider.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import { seededRandom } from './seeded-random.ts'

/** noble plus every native provider that passes its self-test here. */
export async function allProviders(random?: RandomSource): Promise<CryptoProvider[]> {
  const out = [createNobleProvider(random)]
  const web = await createWebCryptoProvider({ random })
  if (web.name !== 'noble') out.push(web)
  const node = await createNodeCryptoProvider({ random })
  if (node) out.push(node)
  return out
}

/** The native engines without their self-tests, so the vector suites test the raw engines. */
export async function rawNativeProviders(random?: RandomSource): Promise<CryptoProvider[]> {
  const out = [await createWebCryptoProvider({ random, skipSelfTest: true })]
  const node = await createNodeCryptoProvider({ random, skipSelfTest: true })
  if (node) out.push(node)
  return out
}

/** The raw WebCrypto provider (kept for tests that want exactly one native engine). */
export function rawNativeProvider(random?: RandomSource): Promise<CryptoProvider> {
  return createWebCryptoProvider({ random, skipSelfTest: true })
}

export function seededProviders(seed: number): Promise<CryptoProvider[]> {
  return allProviders(seededRandom(seed))
}
