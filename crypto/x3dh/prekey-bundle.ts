// Prekeys and the prekey bundle a device publishes (X3DH spec §3.2), with its wire codec
// (docs/protocol/crypto.md §prekey-bundle). The signed prekey is signed by the device's Ed25519
// identity key under its own context label.

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import type { CryptoProvider, DhKeyPair } from '../provider/crypto-provider.ts'
import { signLabelled, verifyLabelled } from '../provider/labelled.ts'
import { MAX_CHAIN_COUNTER } from '../ratchet/ratchet-message.ts'
import {
  type IdentityKeyPair,
  type PublicIdentity,
  publicIdentity,
  readPublicIdentity,
  writePublicIdentity,
} from './identity.ts'

export const PREKEY_BUNDLE_VERSION = 1
export const SIGNED_PREKEY_CONTEXT = 'x3dh/signed-prekey'
/** Prekey ids are u32. */
export const MAX_PREKEY_ID = MAX_CHAIN_COUNTER

export interface SignedPreKey {
  id: number
  keyPair: DhKeyPair
  signature: Uint8Array
}

export interface OneTimePreKey {
  id: number
  keyPair: DhKeyPair
}

export interface PrekeyBundle {
  identity: PublicIdentity
  signedPreKeyId: number
  signedPreKey: Uint8Array
  signedPreKeySignature: Uint8Array
  oneTimePreKey: { id: number; publicKey: Uint8Array } | undefined
}

/** The bytes the signed-prekey signature covers: identity DH key, prekey id, prekey. */
export function signedPreKeyPayload(
  identityDhKey: Uint8Array,
  id: number,
  signedPreKey: Uint8Array,
): Uint8Array {
  return new Writer(80).u8(PREKEY_BUNDLE_VERSION).fixed(identityDhKey, 32, 'identityDhKey')
    .varuint(id).fixed(signedPreKey, 32, 'signedPreKey').finish()
}

export async function createSignedPreKey(
  provider: CryptoProvider,
  identity: IdentityKeyPair,
  id: number,
): Promise<SignedPreKey> {
  if (!Number.isInteger(id) || id < 0 || id > MAX_PREKEY_ID) {
    fail('crypto/bad-argument', 'prekey id')
  }
  const keyPair = await provider.generateDhKeyPair()
  const payload = signedPreKeyPayload(identity.dh.publicKey, id, keyPair.publicKey)
  const signature = await signLabelled(provider, identity.signing, SIGNED_PREKEY_CONTEXT, payload)
  return { id, keyPair, signature }
}

export async function createOneTimePreKey(
  provider: CryptoProvider,
  id: number,
): Promise<OneTimePreKey> {
  if (!Number.isInteger(id) || id < 0 || id > MAX_PREKEY_ID) {
    fail('crypto/bad-argument', 'prekey id')
  }
  return { id, keyPair: await provider.generateDhKeyPair() }
}

export function createPrekeyBundle(
  identity: IdentityKeyPair,
  signedPreKey: SignedPreKey,
  oneTimePreKey?: OneTimePreKey,
): PrekeyBundle {
  return {
    identity: publicIdentity(identity),
    signedPreKeyId: signedPreKey.id,
    signedPreKey: signedPreKey.keyPair.publicKey,
    signedPreKeySignature: signedPreKey.signature,
    oneTimePreKey: oneTimePreKey
      ? { id: oneTimePreKey.id, publicKey: oneTimePreKey.keyPair.publicKey }
      : undefined,
  }
}

/**
 * True when the bundle's signed prekey is signed by `signer`'s Ed25519 key: the caller passes
 * the identity it trusts for the responder (from the device certificate), never the bundle's own
 * claim and never its own key.
 */
export function verifySignedPreKey(
  provider: CryptoProvider,
  signer: PublicIdentity,
  bundle: PrekeyBundle,
): Promise<boolean> {
  const payload = signedPreKeyPayload(signer.dhKey, bundle.signedPreKeyId, bundle.signedPreKey)
  return verifyLabelled(
    provider,
    signer.signingKey,
    SIGNED_PREKEY_CONTEXT,
    payload,
    bundle.signedPreKeySignature,
  )
}

export function encodePrekeyBundle(bundle: PrekeyBundle): Uint8Array {
  const w = new Writer(240).u8(PREKEY_BUNDLE_VERSION)
  writePublicIdentity(w, bundle.identity)
  w.varuint(bundle.signedPreKeyId).fixed(bundle.signedPreKey, 32, 'signedPreKey')
  w.fixed(bundle.signedPreKeySignature, 64, 'signedPreKeySignature')
  if (bundle.oneTimePreKey) {
    w.u8(1).varuint(bundle.oneTimePreKey.id).fixed(bundle.oneTimePreKey.publicKey, 32, 'otpk')
  } else {
    w.u8(0)
  }
  return w.finish()
}

export function decodePrekeyBundle(bytes: Uint8Array): PrekeyBundle {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  if (r.u8() !== PREKEY_BUNDLE_VERSION) fail('codec/bad-version', 'prekey bundle version')
  const identity = readPublicIdentity(r)
  const signedPreKeyId = r.varuint(MAX_PREKEY_ID)
  const signedPreKey = r.fixed(32)
  const signedPreKeySignature = r.fixed(64)
  const has = r.u8()
  if (has > 1) fail('codec/bad-value', 'one-time prekey flag')
  const oneTimePreKey = has ? { id: r.varuint(MAX_PREKEY_ID), publicKey: r.fixed(32) } : undefined
  r.end()
  return { identity, signedPreKeyId, signedPreKey, signedPreKeySignature, oneTimePreKey }
}
