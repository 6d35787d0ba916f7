// The native provider: the runtime's WebCrypto X25519 and Ed25519 (Node 20, Deno, current
// Chromium), 10–25× faster than pure JS. WebCrypto is a global, not a dependency; each
// capability is feature-detected and self-tested, and a missing one falls back to noble.

import { base64url, concatBytes, fromBase64url } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import type { RandomSource } from '../primitives/random.ts'
import type { CryptoProvider, DhKeyPair, SigningKeyPair } from './crypto-provider.ts'
import { KeyCache } from './key-cache.ts'
import { isCanonicalEd25519Signature, isStrictEd25519PublicKey } from './ed25519-strict.ts'
import { createNobleProvider } from './noble-provider.ts'
import { selfTestProvider } from './self-test.ts'
import { PKCS8_PREFIX } from './pkcs8-prefix.ts'

type Subtle = SubtleCrypto

function subtleCrypto(): Subtle | undefined {
  const c = (globalThis as { crypto?: Crypto }).crypto
  return c?.subtle
}

function buffer(bytes: Uint8Array): BufferSource {
  return bytes as unknown as BufferSource
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0
  for (const b of bytes) acc |= b
  return acc === 0
}

/** X25519 over WebCrypto. */
function nativeX25519(subtle: Subtle, random: RandomSource | undefined, prefetch: boolean) {
  const alg = { name: 'X25519' }
  const secrets = new KeyCache()
  const publics = new KeyCache()

  const importSecret = (pair: DhKeyPair) =>
    secrets.getOrImport(pair.secretKey, () =>
      subtle.importKey(
        'jwk',
        { kty: 'OKP', crv: 'X25519', d: base64url(pair.secretKey), x: base64url(pair.publicKey) },
        alg,
        false,
        ['deriveBits'],
      ))

  async function fromJwk(key: CryptoKey): Promise<DhKeyPair> {
    const jwk = await subtle.exportKey('jwk', key)
    return { secretKey: fromBase64url(jwk.d!), publicKey: fromBase64url(jwk.x!) }
  }

  // With `prefetch`, the next key is generated while the caller works with this one.
  let nextKey: Promise<CryptoKeyPair> | undefined
  const startKey = () => subtle.generateKey(alg, true, ['deriveBits']) as Promise<CryptoKeyPair>

  return {
    async generateDhKeyPair(): Promise<DhKeyPair> {
      let key: CryptoKey
      if (prefetch && !random) {
        const pending = nextKey ?? startKey()
        nextKey = startKey()
        key = (await pending).privateKey
      } else if (random) {
        const der = concatBytes(PKCS8_PREFIX.x25519, random(32))
        key = await subtle.importKey('pkcs8', buffer(der), alg, true, ['deriveBits'])
      } else {
        const pair = await subtle.generateKey(alg, true, ['deriveBits']) as CryptoKeyPair
        key = pair.privateKey
      }
      const out = await fromJwk(key)
      secrets.set(out.secretKey, key)
      return out
    },
    async dh(ours: DhKeyPair, theirs: Uint8Array): Promise<Uint8Array> {
      if (ours.secretKey.length !== 32 || ours.publicKey.length !== 32 || theirs.length !== 32) {
        fail('crypto/bad-key', 'dh key length')
      }
      let shared: Uint8Array
      try {
        const [secret, pub] = await Promise.all([
          importSecret(ours),
          publics.getOrImport(theirs, () => subtle.importKey('raw', buffer(theirs), alg, true, [])),
        ])
        shared = new Uint8Array(
          await subtle.deriveBits(
            { name: 'X25519', public: pub } as EcdhKeyDeriveParams,
            secret,
            256,
          ),
        )
      } catch {
        return fail('crypto/low-order', 'low-order public key')
      }
      if (isAllZero(shared)) fail('crypto/low-order', 'low-order public key')
      return shared
    },
  }
}

/** Ed25519 over WebCrypto, with the strict-encoding checks noble's `zip215: false` makes. */
function nativeEd25519(subtle: Subtle, random: RandomSource | undefined) {
  const alg = { name: 'Ed25519' }
  const secrets = new KeyCache()
  const publics = new KeyCache()
  return {
    async generateSigningKeyPair(): Promise<SigningKeyPair> {
      let key: CryptoKey
      if (random) {
        const der = concatBytes(PKCS8_PREFIX.ed25519, random(32))
        key = await subtle.importKey('pkcs8', buffer(der), alg, true, ['sign'])
      } else {
        const pair = await subtle.generateKey(alg, true, ['sign', 'verify']) as CryptoKeyPair
        key = pair.privateKey
      }
      const jwk = await subtle.exportKey('jwk', key)
      const out = { secretKey: fromBase64url(jwk.d!), publicKey: fromBase64url(jwk.x!) }
      secrets.set(out.secretKey, key)
      return out
    },
    async signRaw(pair: SigningKeyPair, message: Uint8Array): Promise<Uint8Array> {
      if (pair.secretKey.length !== 32 || pair.publicKey.length !== 32) {
        fail('crypto/bad-key', 'signing key length')
      }
      const key = await secrets.getOrImport(pair.secretKey, () =>
        subtle.importKey(
          'jwk',
          {
            kty: 'OKP',
            crv: 'Ed25519',
            d: base64url(pair.secretKey),
            x: base64url(pair.publicKey),
          },
          alg,
          false,
          ['sign'],
        ))
      return new Uint8Array(await subtle.sign(alg, key, buffer(message)))
    },
    async verifyRaw(
      publicKey: Uint8Array,
      message: Uint8Array,
      signature: Uint8Array,
    ): Promise<boolean> {
      if (publicKey.length !== 32 || signature.length !== 64) return false
      if (!isStrictEd25519PublicKey(publicKey) || !isCanonicalEd25519Signature(signature)) {
        return false
      }
      try {
        const key = await publics.getOrImport(
          publicKey,
          () => subtle.importKey('raw', buffer(publicKey), alg, false, ['verify']),
        )
        return await subtle.verify(alg, key, buffer(signature), buffer(message))
      } catch {
        return false
      }
    },
  }
}

export interface WebCryptoProviderOptions {
  /** Inject randomness (tests): key generation then imports the secret instead of generating. */
  random?: RandomSource
  /** Skip the known-answer self-test that decides whether each native capability is trusted. */
  skipSelfTest?: boolean
  /** Generate each X25519 key one ahead (ignored with `random`); leaves one generation pending. */
  prefetchKeys?: boolean
}

/**
 * A provider using native X25519 and Ed25519 where the runtime has them (each one self-tested
 * against RFC 7748 / RFC 8032 answers), noble for whatever is missing. Resolves to the noble
 * provider itself when neither is usable.
 */
export async function createWebCryptoProvider(
  options: WebCryptoProviderOptions = {},
): Promise<CryptoProvider> {
  const noble = createNobleProvider(options.random)
  const subtle = subtleCrypto()
  if (!subtle) return noble
  const x = nativeX25519(subtle, options.random, options.prefetchKeys ?? false)
  const ed = nativeEd25519(subtle, options.random)
  const candidate: CryptoProvider = {
    name: 'webcrypto',
    ...x,
    ...ed,
    randomBytes: noble.randomBytes,
  }
  const works = options.skipSelfTest
    ? { x25519: true, ed25519: true }
    : await selfTestProvider(candidate)
  if (!works.x25519 && !works.ed25519) return noble
  return {
    name: `${works.x25519 ? 'webcrypto' : 'noble'}-x25519+${
      works.ed25519 ? 'webcrypto' : 'noble'
    }-ed25519`,
    generateDhKeyPair: works.x25519 ? x.generateDhKeyPair : noble.generateDhKeyPair,
    dh: works.x25519 ? x.dh : noble.dh,
    generateSigningKeyPair: works.ed25519
      ? ed.generateSigningKeyPair
      : noble.generateSigningKeyPair,
    signRaw: works.ed25519 ? ed.signRaw : noble.signRaw,
    verifyRaw: works.ed25519 ? ed.verifyRaw : noble.verifyRaw,
    randomBytes: noble.randomBytes,
  }
}
