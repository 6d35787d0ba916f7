// The seam between the engine's pipeline and who may write what: the engine asks a
// ChannelSecurity to seal, to admit an author, to check a signature, to decrypt and for the
// author's rights. Org mode (org-channel-security.ts) is the real one; shared-key mode keeps the
// walking skeleton's browser path working until devices carry real identities.

import type { ChannelCipher } from '../../crypto/envelope/channel-cipher.ts'
import {
  type DecodedEnvelope,
  encodeEnvelope,
  encodeEnvelopeHeader,
  encodeSignedPart,
  type EnvelopeHeader,
  SIGNATURE_LENGTH,
} from '../sync/envelope.ts'
import type { AuthorRights } from '../sync/update-validator.ts'

export type AdmitRejection = 'unknown-author' | 'revoked-author' | 'not-member' | 'wrong-scheme'

export interface SealResult {
  bytes: Uint8Array
  /** Secret state (our chain) to persist in the same transaction as the envelope. */
  secrets: { name: string; value: Uint8Array }[]
}

export interface ChannelSecurity {
  readonly scheme: number
  /** False for a blind relay: it verifies and serves ciphertext but holds no channel keys. */
  readonly canRead: boolean
  seal(header: Omit<EnvelopeHeader, 'scheme' | 'epoch'>, update: Uint8Array): Promise<SealResult>
  admit(authorHex: string, e: DecodedEnvelope): AdmitRejection | undefined
  verify(authorHex: string, e: DecodedEnvelope): Promise<boolean>
  /** The Yjs update, or 'no-key' when the author's chain for that epoch has not arrived. */
  open(authorHex: string, e: DecodedEnvelope): Promise<Uint8Array | 'no-key'>
  /** Undefined: this mode cannot attribute client ids (shared-key); validation is skipped. */
  rights(authorHex: string): AuthorRights | undefined
}

/** Walking-skeleton mode: one shared channel secret, no per-author authenticity. */
export function sharedKeySecurity(cipher: ChannelCipher): ChannelSecurity {
  return {
    scheme: cipher.scheme,
    canRead: true,
    async seal(header, update) {
      const full: EnvelopeHeader = { ...header, scheme: cipher.scheme, epoch: 0 }
      const body = await cipher.seal(update, encodeEnvelopeHeader(full))
      return {
        bytes: encodeEnvelope(encodeSignedPart(full, body), new Uint8Array(SIGNATURE_LENGTH)),
        secrets: [],
      }
    },
    admit: (_author, e) => (e.envelope.scheme === cipher.scheme ? undefined : 'wrong-scheme'),
    // No device keys in this mode: the AEAD under the shared key is all the authentication.
    verify: (_author, e) => Promise.resolve(e.envelope.signature.every((b) => b === 0)),
    open: (_author, e) => cipher.open(e.envelope.body, e.headerBytes),
    rights: () => undefined,
  }
}
