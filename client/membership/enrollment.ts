// Joining an org from an invite: make device keys, a certificate request that proves the invite
// secret, then accept the credential an admin issues — only if it certifies exactly these keys.

import { equalBytes } from '../../crypto/codec/bytes.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import { createCertificateRequest } from '../../crypto/membership/certificate-request.ts'
import { decodeCredential } from '../../crypto/membership/credential.ts'
import type { Invite } from '../../crypto/membership/invitation.ts'
import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import { type DeviceKeys, generateDeviceKeys } from './device-keys.ts'

export interface PendingEnrollment {
  anchor: OrgAnchor
  signalingUrls: string[]
  keys: DeviceKeys
  displayName: string
  /** The encoded certificate request the admin approves. */
  request: Uint8Array
}

export interface Enrollment {
  anchor: OrgAnchor
  signalingUrls: string[]
  keys: DeviceKeys
  /** encodeCredential bytes: device certificate + admin chain. */
  credential: Uint8Array
  userId: string
  displayName: string
}

export const MAX_DISPLAY_NAME = 64

export function startEnrollment(
  invite: Invite,
  displayName: string,
  random: RandomSource,
  now: number,
): PendingEnrollment {
  const name = displayName.trim()
  if (!name || name.length > MAX_DISPLAY_NAME) {
    fail('codec/bad-value', 'display name must be 1–64 characters')
  }
  if (now > invite.expiresAt) fail('membership/expired', 'this invite has expired')
  const keys = generateDeviceKeys(random)
  const request = createCertificateRequest(
    {
      orgId: invite.anchor.orgId,
      inviteId: invite.inviteId,
      userId: '',
      displayName: name,
      deviceId: keys.deviceId,
      identityDhPublicKey: keys.identity.dh.publicKey,
      createdAt: now,
    },
    invite.secret,
    keys.identity.signing.secretKey,
  )
  return {
    anchor: invite.anchor,
    signalingUrls: invite.signalingUrls,
    keys,
    displayName: name,
    request: request.bytes,
  }
}

/**
 * Accepts an issued credential for a pending enrollment. It must be for this org and certify this
 * device's id and both of its public keys; anything else is `membership/untrusted`. Whether the
 * chain verifies against the org log is checked by every peer and the signaling worker.
 */
export function completeEnrollment(
  pending: PendingEnrollment,
  credentialBytes: Uint8Array,
): Enrollment {
  const credential = decodeCredential(credentialBytes)
  const cert = credential.device
  if (!equalBytes(cert.orgId, pending.anchor.orgId)) {
    fail('membership/foreign-org', 'this approval is for another organisation')
  }
  if (
    !equalBytes(cert.deviceId, pending.keys.deviceId) ||
    !equalBytes(cert.signingPublicKey, pending.keys.identity.signing.publicKey) ||
    !equalBytes(cert.identityDhPublicKey, pending.keys.identity.dh.publicKey)
  ) {
    fail('membership/untrusted', 'this approval is for another device')
  }
  return {
    anchor: pending.anchor,
    signalingUrls: pending.signalingUrls,
    keys: pending.keys,
    credential: credentialBytes.slice(),
    userId: cert.userId,
    displayName: cert.displayName,
  }
}
