// What a relay, a mailbox or a gossipsub hop checks before it holds or forwards an envelope it
// cannot read: it decodes, its author is a device the org log issued and has not revoked, whose
// certificate is current, and the author's device key signed it. No channel key is needed.

import { toHex } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import { verify } from '../../crypto/primitives/ed25519.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import { verifyLabelled } from '../../crypto/provider/labelled.ts'
import {
  type DecodedEnvelope,
  decodeEnvelope,
  ENVELOPE_SIGNATURE_CONTEXT,
} from '../sync/envelope.ts'

export type RelayVerdict =
  | { verdict: 'accept'; envelope: DecodedEnvelope }
  /** Known bad: malformed, revoked or expired author, forged signature. Drop and count. */
  | { verdict: 'reject'; reason: RelayRejection }
  /** Not provable yet (an author our org log has not caught up with): drop, do not punish. */
  | { verdict: 'ignore'; reason: 'unknown-author' }

export type RelayRejection = 'malformed' | 'revoked-author' | 'expired-author' | 'bad-signature'

export interface RelayCheckOptions {
  orgState(): OrgState
  now(): number
  /**
   * Verifies the device signature natively where the runtime can (crypto/provider: node:crypto,
   * WebCrypto; ~10-25x noble); without it, noble's strict Ed25519.
   */
  provider?: CryptoProvider
}

export async function checkEnvelopeForRelay(
  opts: RelayCheckOptions,
  bytes: Uint8Array,
): Promise<RelayVerdict> {
  let decoded: DecodedEnvelope
  try {
    decoded = decodeEnvelope(bytes)
  } catch (e) {
    if (!isConchError(e)) throw e
    return { verdict: 'reject', reason: 'malformed' }
  }
  const state = opts.orgState()
  const author = toHex(decoded.envelope.author)
  const device = state.devices.get(author)
  if (!device) return { verdict: 'ignore', reason: 'unknown-author' }
  if (state.revokedDevices.has(author) || state.revokedUsers.has(device.userId)) {
    return { verdict: 'reject', reason: 'revoked-author' }
  }
  const now = opts.now()
  if (now > device.notAfter || now < device.notBefore) {
    return { verdict: 'reject', reason: 'expired-author' }
  }
  const { signature } = decoded.envelope
  const key = device.signingPublicKey
  const ok = opts.provider
    ? await verifyLabelled(
      opts.provider,
      key,
      ENVELOPE_SIGNATURE_CONTEXT,
      decoded.signedBytes,
      signature,
    )
    : verify(key, ENVELOPE_SIGNATURE_CONTEXT, decoded.signedBytes, signature)
  if (!ok) {
    return { verdict: 'reject', reason: 'bad-signature' }
  }
  return { verdict: 'accept', envelope: decoded }
}
