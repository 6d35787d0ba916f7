// A device identity as the pairwise protocols see it: the Ed25519 key that signs its prekeys and
// the X25519 key that takes part in X3DH (both carried by its device certificate, DESIGN §4).

import type { Reader } from '../codec/reader.ts'
import type { Writer } from '../codec/writer.ts'
import type { DhKeyPair, SigningKeyPair } from '../provider/crypto-provider.ts'
import { equalBytes } from '../codec/bytes.ts'

export interface PublicIdentity {
  signingKey: Uint8Array
  dhKey: Uint8Array
}

export interface IdentityKeyPair {
  signing: SigningKeyPair
  dh: DhKeyPair
}

export const PUBLIC_IDENTITY_LENGTH = 64

export function publicIdentity(identity: IdentityKeyPair): PublicIdentity {
  return { signingKey: identity.signing.publicKey, dhKey: identity.dh.publicKey }
}

/** fixed32 signingKey || fixed32 dhKey */
export function writePublicIdentity(w: Writer, identity: PublicIdentity): void {
  w.fixed(identity.signingKey, 32, 'signingKey').fixed(identity.dhKey, 32, 'dhKey')
}

export function readPublicIdentity(r: Reader): PublicIdentity {
  return { signingKey: r.fixed(32), dhKey: r.fixed(32) }
}

export function encodePublicIdentity(identity: PublicIdentity): Uint8Array {
  const out = new Uint8Array(64)
  out.set(identity.signingKey, 0)
  out.set(identity.dhKey, 32)
  return out
}

export function sameIdentity(a: PublicIdentity, b: PublicIdentity): boolean {
  return equalBytes(a.signingKey, b.signingKey) && equalBytes(a.dhKey, b.dhKey)
}
