// The root keystore: scrypt parameters recorded in the file, XChaCha20-Poly1305 over the root
// key with the header as associated data; one opaque failure for a wrong passphrase or a change.

import { isConchError } from '../../crypto/errors/conch-error.ts'
import { generateSigningKeyPair } from '../../crypto/primitives/ed25519.ts'
import { secureRandom } from '../../crypto/primitives/random.ts'
import {
  DEFAULT_SCRYPT,
  readKeystoreHeader,
  sealKeystore,
  unlockKeystore,
} from '../../admin-keys/src/keystore.ts'

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn()
  } catch (e) {
    if (isConchError(e) && e.code === code) return
    throw new Error(`expected ${code}, got ${e}`)
  }
  throw new Error(`expected ${code}, nothing thrown`)
}

const CHEAP = { logN: 10, r: 8, p: 1 }

Deno.test('the default is strong, and the file records the parameters it was made with', () => {
  assert(DEFAULT_SCRYPT.logN >= 17 && DEFAULT_SCRYPT.r === 8 && DEFAULT_SCRYPT.p === 1, 'default')
  const root = generateSigningKeyPair()
  const orgId = secureRandom(16)
  const file = sealKeystore(root.secretKey, orgId, 'correct horse', CHEAP, secureRandom)
  const header = readKeystoreHeader(file)
  assert(header.params.logN === 10 && header.params.r === 8 && header.params.p === 1, 'params')
  const opened = unlockKeystore(file, 'correct horse')
  assert(opened.rootSecretKey.every((b, i) => b === root.secretKey[i]), 'root key')
  assert(opened.anchor.rootPublicKey.every((b, i) => b === root.publicKey[i]), 'anchor')
  assert(opened.anchor.orgId.every((b, i) => b === orgId[i]), 'org id')
})

Deno.test('a wrong passphrase and any modified byte fail the same opaque way', () => {
  const root = generateSigningKeyPair()
  const file = sealKeystore(root.secretKey, secureRandom(16), 'correct horse', CHEAP, secureRandom)
  expectCode(() => unlockKeystore(file, 'correct horsf'), 'crypto/auth-failed')
  for (const at of [3, 10, 40, file.length - 1]) {
    const changed = file.slice()
    changed[at] ^= 1
    try {
      unlockKeystore(changed, 'correct horse')
      throw new Error(`byte ${at} changed but the keystore opened`)
    } catch (e) {
      assert(isConchError(e, 'crypto/auth-failed') || isConchError(e, 'storage/corrupt'), `${e}`)
    }
  }
  expectCode(() => unlockKeystore(file.slice(0, 20), 'correct horse'), 'storage/corrupt')
})

Deno.test('the passphrase is NFC-normalised: the same word typed two ways opens it', () => {
  const root = generateSigningKeyPair()
  const composed = 'caf\u00e9 au lait'
  const decomposed = 'cafe\u0301 au lait'
  const file = sealKeystore(root.secretKey, secureRandom(16), composed, CHEAP, secureRandom)
  unlockKeystore(file, decomposed)
})
