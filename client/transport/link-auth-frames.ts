// Link authentication frames and the signed transcript (docs/protocol/transport.md §2).

import { decodeExactly } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import { ORG_ID_LENGTH } from '../../crypto/membership/org-anchor.ts'
import { SIGNATURE_LENGTH } from '../../crypto/primitives/ed25519.ts'

export const LINK_AUTH_VERSION = 1
export const LINK_AUTH_HELLO = 1
export const LINK_AUTH_PROOF = 2
export const LINK_AUTH_NONCE_LENGTH = 32
/** A credential is a device certificate plus at most a few admin certificates: a few hundred bytes. */
export const MAX_LINK_CREDENTIAL_BYTES = 4096
/** Channel bindings are digests or peer ids; 64 bytes holds any of them. */
export const MAX_BINDING_BYTES = 64
/** Signature context label (crypto/primitives/labels.ts): `conch/v1/transport/link-auth`. */
export const LINK_AUTH_CONTEXT = 'transport/link-auth'

export interface HelloFrame {
  type: typeof LINK_AUTH_HELLO
  nonce: Uint8Array
}

export interface ProofFrame {
  type: typeof LINK_AUTH_PROOF
  credential: Uint8Array
  signature: Uint8Array
}

export type LinkAuthFrame = HelloFrame | ProofFrame

export function encodeLinkAuthFrame(frame: LinkAuthFrame): Uint8Array {
  const w = new Writer(frame.type === LINK_AUTH_HELLO ? 40 : 512)
    .u8(LINK_AUTH_VERSION)
    .u8(frame.type)
  if (frame.type === LINK_AUTH_HELLO) {
    w.fixed(frame.nonce, LINK_AUTH_NONCE_LENGTH, 'nonce')
  } else {
    if (frame.credential.length > MAX_LINK_CREDENTIAL_BYTES) {
      throw new RangeError('credential too long')
    }
    w.bytes(frame.credential).fixed(frame.signature, SIGNATURE_LENGTH, 'signature')
  }
  return w.finish()
}

export function decodeLinkAuthFrame(bytes: Uint8Array): LinkAuthFrame {
  return decodeExactly(bytes, (r) => {
    if (r.u8() !== LINK_AUTH_VERSION) fail('codec/bad-version', 'unknown link-auth version')
    const type = r.u8()
    if (type === LINK_AUTH_HELLO) {
      return { type: LINK_AUTH_HELLO, nonce: r.fixed(LINK_AUTH_NONCE_LENGTH) }
    }
    if (type === LINK_AUTH_PROOF) {
      const credential = r.bytes(MAX_LINK_CREDENTIAL_BYTES)
      return { type: LINK_AUTH_PROOF, credential, signature: r.fixed(SIGNATURE_LENGTH) }
    }
    return fail('codec/bad-type', 'unknown link-auth frame type')
  })
}

/** What one side signs: its own nonce and binding first, the peer's second. */
export interface TranscriptInput {
  orgId: Uint8Array
  signerNonce: Uint8Array
  peerNonce: Uint8Array
  signerBinding: Uint8Array
  peerBinding: Uint8Array
}

export function linkAuthTranscript(t: TranscriptInput): Uint8Array {
  for (const b of [t.signerBinding, t.peerBinding]) {
    if (b.length > MAX_BINDING_BYTES) throw new RangeError('binding too long')
  }
  return new Writer(200)
    .u8(LINK_AUTH_VERSION)
    .fixed(t.orgId, ORG_ID_LENGTH, 'orgId')
    .fixed(t.signerNonce, LINK_AUTH_NONCE_LENGTH, 'signerNonce')
    .fixed(t.peerNonce, LINK_AUTH_NONCE_LENGTH, 'peerNonce')
    .bytes(t.signerBinding)
    .bytes(t.peerBinding)
    .finish()
}
