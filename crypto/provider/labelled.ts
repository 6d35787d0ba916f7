// Context-labelled signatures over a provider: the async twins of primitives/ed25519 sign/verify.

import { concatBytes } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import { labelBytes } from '../primitives/labels.ts'
import type { CryptoProvider, SigningKeyPair, VerifyItem } from './crypto-provider.ts'

/** Signs labelBytes(context) || message, byte-identical to primitives/ed25519 `sign`. */
export function signLabelled(
  provider: CryptoProvider,
  keyPair: SigningKeyPair,
  context: string,
  message: Uint8Array,
): Promise<Uint8Array> {
  return provider.signRaw(keyPair, concatBytes(labelBytes(context), message))
}

/** True only for a valid signature by `publicKey` over labelBytes(context) || message. */
export function verifyLabelled(
  provider: CryptoProvider,
  publicKey: Uint8Array,
  context: string,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  return provider.verifyRaw(publicKey, concatBytes(labelBytes(context), message), signature)
}

/** Like verifyLabelled, but fails with the one opaque `crypto/bad-signature`. */
export async function assertLabelledSignature(
  provider: CryptoProvider,
  publicKey: Uint8Array,
  context: string,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<void> {
  if (!(await verifyLabelled(provider, publicKey, context, message, signature))) {
    fail('crypto/bad-signature', 'bad signature')
  }
}

/** verifyLabelled for many items at once, in parallel where the provider can. */
export function verifyLabelledMany(
  provider: CryptoProvider,
  context: string,
  items: readonly VerifyItem[],
): Promise<boolean[]> {
  const label = labelBytes(context)
  const labelled = items.map((item) => ({ ...item, message: concatBytes(label, item.message) }))
  if (provider.verifyRawMany) return provider.verifyRawMany(labelled)
  return Promise.all(labelled.map((i) => provider.verifyRaw(i.publicKey, i.message, i.signature)))
}
