// Every Wycheproof vector for the symmetric primitives Conch uses: XChaCha20-Poly1305,
// HKDF-SHA-256 and HMAC-SHA-256 (no `acceptable` cases exist in these files).
// chacha20_poly1305_test.json runs against the runtime's IETF ChaCha20-Poly1305, which the
// node:crypto provider uses underneath XChaCha20-Poly1305 (noble's is reached only via XChaCha).

import { assert, assertEquals, assertThrows } from './assert.ts'
import { equalBytes, toHex } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { open, seal } from '../../crypto/primitives/aead.ts'
import { hkdfRaw, hmacSha256 } from '../../crypto/primitives/kdf.ts'
import { describe, hex, loadWycheproof } from './wycheproof.ts'
import { nobleSymmetric } from '../../crypto/provider/symmetric.ts'
import {
  createNodeCryptoProvider,
  nodeCryptoModule,
} from '../../crypto/provider/node-crypto-provider.ts'
import { nodeChaCha20Poly1305 } from '../../crypto/provider/node-symmetric.ts'

const aead = loadWycheproof('xchacha20_poly1305_test.json')
const hkdf = loadWycheproof('hkdf_sha256_test.json')
const hmac = loadWycheproof('hmac_sha256_test.json')
const ietfAead = loadWycheproof('chacha20_poly1305_test.json')

Deno.test({
  name: 'wycheproof xchacha20-poly1305: valid seals byte-exact and opens; invalid never opens',
  ignore: !aead,
  fn: () => {
    let n = 0
    for (const group of aead!) {
      for (const test of group.tests) {
        const [key, iv, ad, msg] = ['key', 'iv', 'aad', 'msg'].map((f) => hex(test, f))
        const sealed = new Uint8Array([...hex(test, 'ct'), ...hex(test, 'tag')])
        if (test.result === 'valid') {
          assertEquals(toHex(seal(key, iv, msg, ad)), toHex(sealed), describe(test))
          assertEquals(toHex(open(key, iv, sealed, ad)), toHex(msg), describe(test))
        } else {
          let opened: Uint8Array | undefined
          try {
            opened = open(key, iv, sealed, ad)
          } catch (e) {
            assert(isConchError(e), `${describe(test)}: untyped ${e}`)
          }
          assert(opened === undefined, describe(test))
        }
        n++
      }
    }
    assertEquals(n, 315)
  },
})

Deno.test({
  name: 'wycheproof hkdf-sha256: valid derive exactly; oversize outputs are refused',
  ignore: !hkdf,
  fn: () => {
    let n = 0
    for (const group of hkdf!) {
      for (const test of group.tests) {
        const [ikm, salt, info] = ['ikm', 'salt', 'info'].map((f) => hex(test, f))
        const size = Number(test.size)
        if (test.result === 'valid') {
          assertEquals(toHex(hkdfRaw(ikm, salt, info, size)), String(test.okm), describe(test))
        } else {
          assertThrows(() => hkdfRaw(ikm, salt, info, size), describe(test))
        }
        n++
      }
    }
    assertEquals(n, 86)
  },
})

Deno.test({
  name: 'wycheproof hmac-sha256: valid tags match (truncated to tagSize); invalid never match',
  ignore: !hmac,
  fn: () => {
    let n = 0
    for (const group of hmac!) {
      const tagBytes = Number(group.tagSize) / 8
      for (const test of group.tests) {
        const mac = hmacSha256(hex(test, 'key'), hex(test, 'msg')).subarray(0, tagBytes)
        assertEquals(equalBytes(mac, hex(test, 'tag')), test.result === 'valid', describe(test))
        n++
      }
    }
    assertEquals(n, 174)
  },
})

// The same vectors through every SymmetricPrimitives implementation a provider offers.
const symmetrics = [nobleSymmetric]
const nodeProvider = await createNodeCryptoProvider()
if (nodeProvider?.symmetric) symmetrics.push(nodeProvider.symmetric)

for (const sym of symmetrics) {
  Deno.test({
    name: `wycheproof xchacha20-poly1305, hkdf, hmac through the ${sym.name} symmetric primitives`,
    ignore: !aead || !hkdf || !hmac,
    fn: () => {
      for (const group of aead!) {
        for (const test of group.tests) {
          const [key, iv, ad, msg] = ['key', 'iv', 'aad', 'msg'].map((f) => hex(test, f))
          const sealed = new Uint8Array([...hex(test, 'ct'), ...hex(test, 'tag')])
          if (test.result === 'valid') {
            assertEquals(toHex(sym.seal(key, iv, msg, ad)), toHex(sealed), describe(test))
            assertEquals(toHex(sym.open(key, iv, sealed, ad)), toHex(msg), describe(test))
          } else {
            let opened: Uint8Array | undefined
            try {
              opened = sym.open(key, iv, sealed, ad)
            } catch (e) {
              assert(isConchError(e), `${describe(test)}: untyped ${e}`)
            }
            assert(opened === undefined, describe(test))
          }
        }
      }
      for (const group of hkdf!) {
        for (const test of group.tests) {
          const size = Number(test.size)
          if (test.result !== 'valid' || size > 64) continue // our HKDF serves at most 64 bytes
          const [ikm, salt, info] = ['ikm', 'salt', 'info'].map((f) => hex(test, f))
          assertEquals(toHex(sym.hkdf(ikm, salt, info, size)), String(test.okm), describe(test))
        }
      }
      for (const group of hmac!) {
        for (const test of group.tests) {
          // hmacPair computes HMAC(key, 0x01), HMAC(key, 0x02): check the vectors with those messages.
          const msg = hex(test, 'msg')
          if (msg.length !== 1 || (msg[0] !== 1 && msg[0] !== 2)) continue
          const mac = sym.hmacPair(hex(test, 'key'))[msg[0] - 1]
          const ok = equalBytes(mac.subarray(0, Number(group.tagSize) / 8), hex(test, 'tag'))
          assertEquals(ok, test.result === 'valid', describe(test))
        }
      }
    },
  })
}

Deno.test("node symmetric: every HMAC key length in Wycheproof gives noble's HMAC(key, 0x01/0x02)", () => {
  const node = symmetrics.find((s) => s.name === 'node-crypto')
  if (!node || !hmac) return
  for (const group of hmac) {
    for (const test of group.tests) {
      const key = hex(test, 'key')
      assertEquals(node.hmacPair(key).map(toHex), nobleSymmetric.hmacPair(key).map(toHex))
    }
  }
})

const nodeCrypto = nodeCryptoModule()
Deno.test({
  name: "wycheproof chacha20-poly1305: the runtime's IETF AEAD under the node:crypto provider",
  ignore: !ietfAead || !nodeCrypto,
  fn: () => {
    const ietf = nodeChaCha20Poly1305(nodeCrypto!)
    let n = 0
    for (const group of ietfAead!) {
      for (const test of group.tests) {
        const [key, iv, ad, msg] = ['key', 'iv', 'aad', 'msg'].map((f) => hex(test, f))
        const sealed = new Uint8Array([...hex(test, 'ct'), ...hex(test, 'tag')])
        if (test.result === 'valid') {
          assertEquals(toHex(ietf.seal(key, iv, msg, ad)), toHex(sealed), describe(test))
          assertEquals(toHex(ietf.open(key, iv, sealed, ad)), toHex(msg), describe(test))
        } else {
          let opened: Uint8Array | undefined
          try {
            opened = ietf.open(key, iv, sealed, ad)
          } catch (e) {
            assert(isConchError(e), `${describe(test)}: untyped ${e}`)
          }
          assert(opened === undefined, describe(test))
        }
        n++
      }
    }
    assertEquals(n, 325)
  },
})
