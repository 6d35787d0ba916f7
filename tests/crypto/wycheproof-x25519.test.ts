// Every Wycheproof X25519 vector against every provider and the sync `dh`.
// `acceptable` cases, decided: a vector whose shared secret is all zero (low-order public key,
// flags LowOrderPublic/ZeroSharedSecret) must be REJECTED with crypto/low-order (RFC 7748 §6.1,
// Signal's X3DH requires it); every other acceptable vector (twist points, non-canonical u >= p,
// edge-case multiplications) must be ACCEPTED with exactly Wycheproof's shared secret, because
// RFC 7748 §5 says to mask the top bit and accept non-canonical u.

import { assert, assertEquals } from './assert.ts'
import { toHex } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { dh, dhPublicKey } from '../../crypto/primitives/x25519.ts'
import { describe, hex, loadWycheproof, type WycheproofTest } from './wycheproof.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import { rawNativeProviders } from './providers.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'

const groups = loadWycheproof('x25519_test.json')

function expectation(test: WycheproofTest): 'reject' | string {
  const shared = String(test.shared)
  if (/^0+$/.test(shared)) return 'reject'
  if (test.result === 'invalid') return 'reject'
  return shared
}

async function runAll(
  name: string,
  agree: (secret: Uint8Array, pub: Uint8Array) => Promise<Uint8Array>,
) {
  let checked = 0
  for (const group of groups!) {
    for (const test of group.tests) {
      const expected = expectation(test)
      const secret = hex(test, 'private')
      const pub = hex(test, 'public')
      let outcome: string
      try {
        outcome = toHex(await agree(secret, pub))
      } catch (e) {
        assert(
          isConchError(e, 'crypto/low-order') || isConchError(e, 'crypto/bad-key'),
          `${name} ${describe(test)}: untyped ${e}`,
        )
        outcome = 'reject'
      }
      assertEquals(outcome, expected, `${name} ${describe(test)}`)
      checked++
    }
  }
  assert(checked >= 518, `ran ${checked} vectors`)
}

Deno.test({
  name: 'wycheproof x25519: sync dh accepts valid and non-low-order acceptable, rejects all-zero',
  ignore: !groups,
  fn: () => runAll('sync', (s, p) => Promise.resolve().then(() => dh(s, p))),
})

const providers: CryptoProvider[] = [createNobleProvider(), ...await rawNativeProviders()]
for (const provider of providers) {
  Deno.test({
    name: `wycheproof x25519: ${provider.name} provider matches every vector`,
    ignore: !groups,
    fn: async () => {
      await runAll(
        provider.name,
        (secretKey, pub) => provider.dh({ secretKey, publicKey: dhPublicKey(secretKey) }, pub),
      )
    },
  })
}
