// The server-side native provider: the runtime's built-in `node:crypto` X25519/Ed25519 (Node,
// Deno, Bun), synchronous and 2-4x faster than WebCrypto's async calls on Node 20. Nothing is
// imported: the module is reached through `process.getBuiltinModule` when the runtime has it
// (Node >= 20.16, Deno 2), exactly as the WebCrypto provider reaches `crypto.subtle`; browsers
// simply do not have it and use WebCrypto.

import { base64url, concatBytes, fromBase64url } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import type { RandomSource } from '../primitives/random.ts'
import type { CryptoProvider, DhKeyPair, SigningKeyPair } from './crypto-provider.ts'
import { isCanonicalEd25519Signature, isStrictEd25519PublicKey } from './ed25519-strict.ts'
import { KeyCache } from './key-cache.ts'
import { createNobleProvider } from './noble-provider.ts'
import { selfTestProvider, selfTestSymmetric } from './self-test.ts'
import { nodeSymmetric, type NodeSymmetricCrypto } from './node-symmetric.ts'
import { PKCS8_PREFIX } from './pkcs8-prefix.ts'

/** The slice of node:crypto used here, typed structurally so nothing depends on @types/node. */
interface NodeKeyObject {
  export(options: { format: 'jwk' }): { d?: string; x?: string }
}
interface NodeCrypto extends NodeSymmetricCrypto {
  generateKeyPairSync(type: 'x25519' | 'ed25519'): { privateKey: NodeKeyObject }
  generateKeyPair(
    type: 'x25519',
    options: Record<string, never>,
    callback: (err: Error | null, publicKey: NodeKeyObject, privateKey: NodeKeyObject) => void,
  ): void
  createPrivateKey(
    input: { key: unknown; format: 'jwk' } | { key: Uint8Array; format: 'der'; type: 'pkcs8' },
  ): NodeKeyObject
  createPublicKey(input: { key: unknown; format: 'jwk' }): NodeKeyObject
  diffieHellman(input: { privateKey: NodeKeyObject; publicKey: NodeKeyObject }): Uint8Array
  sign(algorithm: null, data: Uint8Array, key: NodeKeyObject): Uint8Array
  verify(algorithm: null, data: Uint8Array, key: NodeKeyObject, signature: Uint8Array): boolean
  verify(
    algorithm: null,
    data: Uint8Array,
    key: NodeKeyObject,
    signature: Uint8Array,
    callback: (err: Error | null, ok: boolean) => void,
  ): void
}

export function nodeCryptoModule(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  try {
    const mod = proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined
    return mod && typeof mod.diffieHellman === 'function' ? mod : undefined
  } catch {
    return undefined
  }
}

const PREFETCH_DEPTH = 2

/** A plain Uint8Array copy (node returns Buffers, which compare unequal to Uint8Arrays). */
function plain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes)
}

function settle<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step())
  } catch (e) {
    return Promise.reject(e)
  }
}

function buildProvider(
  c: NodeCrypto,
  random: RandomSource | undefined,
  prefetch: boolean,
): CryptoProvider {
  const dhSecrets = new KeyCache<NodeKeyObject>()
  const dhPublics = new KeyCache<NodeKeyObject>()
  const signSecrets = new KeyCache<NodeKeyObject>()
  const signPublics = new KeyCache<NodeKeyObject>()
  const crvOf = { x25519: 'X25519', ed25519: 'Ed25519' } as const

  function generate(type: 'x25519' | 'ed25519', cache: KeyCache<NodeKeyObject>) {
    const privateKey = random
      ? c.createPrivateKey({
        key: concatBytes(PKCS8_PREFIX[type], random(32)),
        format: 'der',
        type: 'pkcs8',
      })
      : c.generateKeyPairSync(type).privateKey
    const jwk = privateKey.export({ format: 'jwk' })
    const pair = { secretKey: fromBase64url(jwk.d!), publicKey: fromBase64url(jwk.x!) }
    cache.set(pair.secretKey, privateKey)
    return pair
  }

  function secretKeyObject(
    type: 'x25519' | 'ed25519',
    cache: KeyCache<NodeKeyObject>,
    pair: DhKeyPair | SigningKeyPair,
  ): NodeKeyObject {
    return cache.getOrLoad(pair.secretKey, () =>
      c.createPrivateKey({
        key: {
          kty: 'OKP',
          crv: crvOf[type],
          d: base64url(pair.secretKey),
          x: base64url(pair.publicKey),
        },
        format: 'jwk',
      }))
  }

  function publicKeyObject(
    type: 'x25519' | 'ed25519',
    cache: KeyCache<NodeKeyObject>,
    key: Uint8Array,
  ): NodeKeyObject {
    return cache.getOrLoad(key, () =>
      c.createPublicKey({
        key: { kty: 'OKP', crv: crvOf[type], x: base64url(key) },
        format: 'jwk',
      }))
  }

  // X25519 keys are generated PREFETCH_DEPTH ahead on the runtime's thread pool, so a DH
  // ratchet step (one key) or a session setup (two) finds its keys ready instead of paying for
  // key generation on the main thread.
  const ahead: Promise<NodeKeyObject>[] = []
  const startDhKey = () =>
    new Promise<NodeKeyObject>((resolve, reject) =>
      c.generateKeyPair(
        'x25519',
        {},
        (err, _pub, privateKey) => err ? reject(err) : resolve(privateKey),
      )
    )
  async function prefetchedDhKeyPair() {
    while (ahead.length < PREFETCH_DEPTH + 1) ahead.push(startDhKey())
    const privateKey = await ahead.shift()!
    const jwk = privateKey.export({ format: 'jwk' })
    const pair = { secretKey: fromBase64url(jwk.d!), publicKey: fromBase64url(jwk.x!) }
    dhSecrets.set(pair.secretKey, privateKey)
    return pair
  }

  return {
    name: 'node-crypto',
    generateDhKeyPair: prefetch && !random
      ? prefetchedDhKeyPair
      : () => settle(() => generate('x25519', dhSecrets)),
    dh: (ours, theirs) =>
      settle(() => {
        if (ours.secretKey.length !== 32 || ours.publicKey.length !== 32 || theirs.length !== 32) {
          fail('crypto/bad-key', 'dh key length')
        }
        let shared: Uint8Array
        try {
          shared = plain(c.diffieHellman({
            privateKey: secretKeyObject('x25519', dhSecrets, ours),
            publicKey: publicKeyObject('x25519', dhPublics, theirs),
          }))
        } catch {
          return fail('crypto/low-order', 'low-order public key')
        }
        let acc = 0
        for (const b of shared) acc |= b
        if (acc === 0) fail('crypto/low-order', 'low-order public key')
        return shared
      }),
    generateSigningKeyPair: () => settle(() => generate('ed25519', signSecrets)),
    signRaw: (pair, message) =>
      settle(() => {
        if (pair.secretKey.length !== 32 || pair.publicKey.length !== 32) {
          fail('crypto/bad-key', 'signing key length')
        }
        return plain(c.sign(null, message, secretKeyObject('ed25519', signSecrets, pair)))
      }),
    verifyRaw: (publicKey, message, signature) =>
      settle(() => {
        if (!isStrictEd25519PublicKey(publicKey) || !isCanonicalEd25519Signature(signature)) {
          return false
        }
        try {
          const key = publicKeyObject('ed25519', signPublics, publicKey)
          return c.verify(null, message, key, signature) === true
        } catch {
          return false
        }
      }),
    // Verifications of a batch run concurrently on the runtime's thread pool.
    verifyRawMany: (items) =>
      Promise.all(
        items.map(({ publicKey, message, signature }) =>
          new Promise<boolean>((resolve) => {
            if (!isStrictEd25519PublicKey(publicKey) || !isCanonicalEd25519Signature(signature)) {
              return resolve(false)
            }
            try {
              const key = publicKeyObject('ed25519', signPublics, publicKey)
              c.verify(null, message, key, signature, (err, ok) => resolve(!err && ok === true))
            } catch {
              resolve(false)
            }
          })
        ),
      ),
    randomBytes: createNobleProvider(random).randomBytes,
  }
}

export interface NodeCryptoProviderOptions {
  random?: RandomSource
  skipSelfTest?: boolean
  /**
   * Generate each X25519 key one ahead, in the background (ignored with `random`). It leaves a
   * key generation pending between calls, so test runners that check for leaked async work
   * should keep it off.
   */
  prefetchKeys?: boolean
}

/** The node:crypto provider, or undefined when the runtime has no node:crypto or it misbehaves. */
export async function createNodeCryptoProvider(
  options: NodeCryptoProviderOptions = {},
): Promise<CryptoProvider | undefined> {
  const c = nodeCryptoModule()
  if (!c) return undefined
  const asymmetric = buildProvider(c, options.random, options.prefetchKeys ?? false)
  const symmetric = nodeSymmetric(c)
  if (options.skipSelfTest) return { ...asymmetric, symmetric }
  const works = await selfTestProvider(asymmetric)
  if (!works.x25519 || !works.ed25519) return undefined
  // Native symmetric primitives only if they answer exactly as noble does.
  return selfTestSymmetric(symmetric) ? { ...asymmetric, symmetric } : asymmetric
}
