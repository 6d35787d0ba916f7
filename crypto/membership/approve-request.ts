// Approval of a certificate request made from an invite: check the invite's limits, the proof of
// the secret and the device's signature, then issue. Pure: the CLI (from a file) and a live admin
// device (through signaling) both call this.

import { equalBytes } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import type { RandomSource } from '../primitives/random.ts'
import { type CertificateRequest, verifyCertificateRequest } from './certificate-request.ts'
import { type IssuedDevice, issueDevice, type Issuer } from './issue-device.ts'
import type { OrgState } from './org-state.ts'
import type { Role } from './roles.ts'

/** What the inviting admin keeps about an invite (the link itself is never stored elsewhere). */
export interface InviteRecord {
  inviteId: Uint8Array
  secret: Uint8Array
  maxUses: number
  uses: number
  expiresAt: number
}

export interface ApprovalOptions {
  now: number
  random: RandomSource
  /** Overrides the user id the device proposed. */
  userId?: string
  displayName?: string
  roles?: ReadonlySet<Role>
  validityMs?: number
}

export function approveCertificateRequest(
  state: OrgState,
  issuer: Issuer,
  request: CertificateRequest,
  invite: InviteRecord,
  options: ApprovalOptions,
): IssuedDevice & { invite: InviteRecord } {
  if (!equalBytes(request.orgId, state.anchor.orgId)) {
    fail('membership/foreign-org', 'request is for another org')
  }
  if (!equalBytes(request.inviteId, invite.inviteId)) {
    fail('membership/untrusted', 'request names another invite')
  }
  if (options.now > invite.expiresAt) fail('membership/expired', 'invite has expired')
  if (invite.uses >= invite.maxUses) fail('membership/forbidden', 'invite already used up')
  verifyCertificateRequest(request, invite.secret)
  const issued = issueDevice(state, issuer, {
    userId: options.userId ?? request.userId,
    displayName: options.displayName ?? request.displayName,
    deviceId: request.deviceId,
    signingPublicKey: request.signingPublicKey,
    identityDhPublicKey: request.identityDhPublicKey,
    roles: options.roles ?? new Set<Role>(['member']),
  }, options)
  return { ...issued, invite: { ...invite, uses: invite.uses + 1 } }
}
