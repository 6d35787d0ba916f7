// The org trust anchor (org id + root public key) and its text form `base64url(orgId).base64url(root)`.

import { base64url, fromBase64url } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'

export const ORG_ID_LENGTH = 16
export const PUBLIC_KEY_LENGTH = 32

export interface OrgAnchor {
  /** 16 random bytes chosen by `admin-keys init`; bound into every signed object. */
  orgId: Uint8Array
  /** The org root Ed25519 public key: every chain of authority ends here. */
  rootPublicKey: Uint8Array
}

export function assertAnchor(anchor: OrgAnchor): void {
  if (!(anchor.orgId instanceof Uint8Array) || anchor.orgId.length !== ORG_ID_LENGTH) {
    fail('codec/bad-value', 'org id must be 16 bytes')
  }
  if (
    !(anchor.rootPublicKey instanceof Uint8Array) ||
    anchor.rootPublicKey.length !== PUBLIC_KEY_LENGTH
  ) {
    fail('codec/bad-value', 'root public key must be 32 bytes')
  }
}

export function formatOrgAnchor(anchor: OrgAnchor): string {
  assertAnchor(anchor)
  return `${base64url(anchor.orgId)}.${base64url(anchor.rootPublicKey)}`
}

/** Parses the text form; anything else is `codec/bad-value`. Surrounding whitespace is ignored. */
export function parseOrgAnchor(text: string): OrgAnchor {
  if (typeof text !== 'string') fail('codec/bad-value', 'org anchor must be text')
  const parts = text.trim().split('.')
  if (parts.length !== 2) fail('codec/bad-value', 'org anchor must be "<org id>.<root key>"')
  let orgId: Uint8Array
  let rootPublicKey: Uint8Array
  try {
    orgId = fromBase64url(parts[0])
    rootPublicKey = fromBase64url(parts[1])
  } catch {
    return fail('codec/bad-value', 'org anchor is not base64url')
  }
  const anchor = { orgId, rootPublicKey }
  assertAnchor(anchor)
  // Reject non-canonical base64url (trailing bits set), so one anchor has one text form.
  if (formatOrgAnchor(anchor) !== text.trim()) fail('codec/bad-value', 'non-canonical org anchor')
  return anchor
}
