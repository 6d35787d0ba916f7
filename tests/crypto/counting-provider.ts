// A provider wrapper that counts calls (a real provider underneath, not a mock): lets a test
// show that a rejected message cost no key agreement at all.

import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'

export interface CountingProvider extends CryptoProvider {
  counts: { dh: number; verify: number; sign: number; generate: number }
}

export function counting(inner: CryptoProvider): CountingProvider {
  const counts = { dh: 0, verify: 0, sign: 0, generate: 0 }
  return {
    name: `counting(${inner.name})`,
    counts,
    generateDhKeyPair: () => {
      counts.generate++
      return inner.generateDhKeyPair()
    },
    dh: (ours, theirs) => {
      counts.dh++
      return inner.dh(ours, theirs)
    },
    generateSigningKeyPair: () => {
      counts.generate++
      return inner.generateSigningKeyPair()
    },
    signRaw: (pair, message) => {
      counts.sign++
      return inner.signRaw(pair, message)
    },
    verifyRaw: (publicKey, message, signature) => {
      counts.verify++
      return inner.verifyRaw(publicKey, message, signature)
    },
    randomBytes: (n) => inner.randomBytes(n),
  }
}
