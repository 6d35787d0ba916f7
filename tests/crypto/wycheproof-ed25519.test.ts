// Every Wycheproof Ed25519 vector (no `acceptable` cases exist in this file) against the sync
// verifier and every provider: valid verifies, invalid (non-canonical S or R, small-order
// components, truncated or altered signatures) is refused with `false`, never a throw.

import { assertEquals } from './assert.ts'
import { verifyRaw } from '../../crypto/primitives/ed25519.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import { describe, hex, loadWycheproof } from './wycheproof.ts'
import { rawNativeProviders } from './providers.ts'
import { fromHex } from '../../crypto/codec/bytes.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'

const groups = loadWycheproof('ed25519_test.json')

async function runAll(
  name: string,
  check: (pub: Uint8Array, msg: Uint8Array, sig: Uint8Array) => Promise<boolean>,
) {
  let checked = 0
  for (const group of groups!) {
    const pub = fromHex(String((group.publicKey as { pk: string }).pk))
    for (const test of group.tests) {
      const ok = await check(pub, hex(test, 'msg'), hex(test, 'sig'))
      assertEquals(ok, test.result === 'valid', `${name} ${describe(test)}`)
      checked++
    }
  }
  assertEquals(checked, 151)
}

Deno.test({
  name: 'wycheproof ed25519: sync strict verifyRaw',
  ignore: !groups,
  fn: () => runAll('sync', (p, m, s) => Promise.resolve(verifyRaw(p, m, s))),
})

const providers: CryptoProvider[] = [createNobleProvider(), ...await rawNativeProviders()]
for (const provider of providers) {
  Deno.test({
    name: `wycheproof ed25519: ${provider.name} provider`,
    ignore: !groups,
    fn: async () => {
      await runAll(provider.name, (p, m, s) => provider.verifyRaw(p, m, s))
    },
  })
}

for (const provider of providers.filter((p) => p.verifyRawMany)) {
  Deno.test({
    name: `wycheproof ed25519: ${provider.name} provider, all vectors in one parallel batch`,
    ignore: !groups,
    fn: async () => {
      const items = groups!.flatMap((g) =>
        g.tests.map((t) => ({
          publicKey: fromHex(String((g.publicKey as { pk: string }).pk)),
          message: hex(t, 'msg'),
          signature: hex(t, 'sig'),
          expected: t.result === 'valid',
        }))
      )
      const verdicts = await provider.verifyRawMany!(items)
      assertEquals(verdicts, items.map((i) => i.expected))
    },
  })
}
