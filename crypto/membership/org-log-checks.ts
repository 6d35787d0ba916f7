// Checks on one org-log entry that need no other entry: right org, valid signature, and the
// certificate it carries names its author (docs/protocol/membership.md §9).

import { equalBytes } from '../codec/bytes.ts'
import { adminCertificateSignedBy } from './admin-certificate.ts'
import { type LogEntry, logEntrySignatureValid } from './log-entry.ts'
import type { OrgAnchor } from './org-anchor.ts'

/**
 * Returns why the entry can never be valid in this org, or null. `attested`: a verified root
 * entry has this one in its causal past, which vouches for its signature (rule 0).
 */
export function staticRejection(anchor: OrgAnchor, e: LogEntry, attested = false): string | null {
  if (!equalBytes(e.orgId, anchor.orgId)) return 'entry belongs to another org'
  if (!attested && !logEntrySignatureValid(e)) return 'bad entry signature'
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
      // The certificate's bytes are authenticated by the entry signature of its issuer; its own
      // signature is checked whenever it is presented (verify-credential.ts).
      return null
    }
    default:
      return null
  }
}
