// Checks on one org-log entry that need no other entry: right org, valid signature, and the
// certificate it carries is well signed and names its author (docs/protocol/membership.md §9).

import { equalBytes } from '../codec/bytes.ts'
import { adminCertificateSignedBy } from './admin-certificate.ts'
import { type DeviceCertificate, deviceCertificateSignedBy } from './device-certificate.ts'
import { type LogEntry, logEntrySignatureValid } from './log-entry.ts'
import type { OrgAnchor } from './org-anchor.ts'

const certificateVerified = new WeakMap<DeviceCertificate, boolean>()

/** Memoised per decoded certificate object (immutable once decoded). */
export function deviceCertificateValid(cert: DeviceCertificate): boolean {
  let ok = certificateVerified.get(cert)
  if (ok === undefined) {
    ok = deviceCertificateSignedBy(cert, cert.issuer)
    certificateVerified.set(cert, ok)
  }
  return ok
}

/** Returns why the entry can never be valid in this org, or null. */
export function staticRejection(anchor: OrgAnchor, e: LogEntry): string | null {
  if (!equalBytes(e.orgId, anchor.orgId)) return 'entry belongs to another org'
  if (!logEntrySignatureValid(e)) return 'bad entry signature'
  const byRoot = equalBytes(e.author, anchor.rootPublicKey)
  const body = e.body
  switch (body.type) {
    case 'appoint-admin': {
      if (!byRoot) return 'only the root appoints admins'
      const c = body.certificate
      if (!equalBytes(c.orgId, anchor.orgId)) return 'admin certificate belongs to another org'
      if (equalBytes(c.adminKey, anchor.rootPublicKey)) return 'the root cannot be an admin'
      if (!adminCertificateSignedBy(c, anchor.rootPublicKey)) return 'bad admin certificate'
      return null
    }
    case 'revoke-admin':
      return byRoot ? null : 'only the root revokes admins'
    case 'issue-device':
    case 'renew-device': {
      const c = body.certificate
      if (!equalBytes(c.orgId, anchor.orgId)) return 'device certificate belongs to another org'
      if (!equalBytes(c.issuer, e.author)) return 'certificate issuer is not the entry author'
      if (equalBytes(c.signingPublicKey, anchor.rootPublicKey)) return 'root key used as device'
      if (!deviceCertificateValid(c)) return 'bad device certificate signature'
      return null
    }
    default:
      return null
  }
}
