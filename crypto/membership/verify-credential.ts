// Credential verification and signaling admission: a pure function of (credential, anchor, org
// state, now). Authority comes only from signatures ending at the root and from the org log.

import { equalBytes, toHex } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import { adminCertificateSignedBy } from './admin-certificate.ts'
import { type Credential, decodeCredential } from './credential.ts'
import { deviceCertificateSignedBy } from './device-certificate.ts'
import { assertAnchor, type OrgAnchor } from './org-anchor.ts'
import type { DeviceIdentity, OrgState } from './org-state.ts'

function checkWindow(notBefore: number, notAfter: number, now: number, what: string): void {
  if (now < notBefore) fail('membership/not-yet-valid', `${what} is not valid yet`)
  if (now > notAfter) fail('membership/expired', `${what} has expired`)
}

/**
 * Checks, in order: codec; org (`membership/foreign-org`); chain signatures
 * (`crypto/bad-signature`, `membership/untrusted`); validity windows at `now`
 * (`membership/expired`, `membership/not-yet-valid`); org state (`membership/revoked`, and
 * `membership/untrusted` for a certificate the org log never issued or an issuer never appointed).
 */
export function verifyCredentialObject(
  anchor: OrgAnchor,
  state: OrgState,
  cred: Credential,
  now: number,
): DeviceIdentity {
  assertAnchor(anchor)
  const cert = cred.device
  if (!equalBytes(cert.orgId, anchor.orgId)) {
    fail('membership/foreign-org', 'certificate of another org')
  }
  for (const a of cred.chain) {
    if (!equalBytes(a.orgId, anchor.orgId)) {
      fail('membership/foreign-org', 'certificate of another org')
    }
  }
  const byRoot = equalBytes(cert.issuer, anchor.rootPublicKey)
  if (byRoot) {
    if (cred.chain.length !== 0) fail('membership/untrusted', 'unexpected admin chain')
  } else {
    // root -> admin -> device: exactly one admin certificate, for the device cert's issuer.
    if (cred.chain.length !== 1) fail('membership/untrusted', 'issuer is not the root or an admin')
    const admin = cred.chain[0]
    if (!equalBytes(admin.adminKey, cert.issuer)) {
      fail('membership/untrusted', 'chain does not link')
    }
    if (!adminCertificateSignedBy(admin, anchor.rootPublicKey)) {
      fail('crypto/bad-signature', 'bad signature')
    }
  }
  if (!deviceCertificateSignedBy(cert, cert.issuer)) fail('crypto/bad-signature', 'bad signature')
  for (const a of cred.chain) checkWindow(a.notBefore, a.notAfter, now, 'admin certificate')
  checkWindow(cert.notBefore, cert.notAfter, now, 'device certificate')

  const id = toHex(cert.deviceId)
  if (state.revokedDevices.has(id) || state.revokedUsers.has(cert.userId)) {
    fail('membership/revoked', 'device revoked')
  }
  if (!byRoot && !state.admins.has(toHex(cert.issuer))) {
    fail('membership/untrusted', 'issuer was never appointed in the org log')
  }
  // The org log is authoritative: a certificate counts only if a valid entry issued or renewed it
  // (which also voids certificates from a revoked admin's post-revocation entries).
  if (state.certificates.get(toHex(cert.hash)) !== id) {
    fail('membership/untrusted', 'certificate not issued in the org log')
  }
  const record = state.devices.get(id)!
  return {
    orgId: cert.orgId,
    userId: cert.userId,
    deviceId: cert.deviceId,
    displayName: cert.displayName,
    signingPublicKey: cert.signingPublicKey,
    identityDhPublicKey: cert.identityDhPublicKey,
    roles: record.roles,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    clientIdRange: cert.clientIdRange,
  }
}

export function verifyCredential(
  anchor: OrgAnchor,
  state: OrgState,
  credential: Uint8Array,
  now: number,
): DeviceIdentity {
  return verifyCredentialObject(anchor, state, decodeCredential(credential), now)
}
