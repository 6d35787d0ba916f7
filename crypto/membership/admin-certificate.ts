// Admin certificate: the org root vouches for an admin signing key (docs/protocol/membership.md §3).

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { sign, SIGNATURE_LENGTH, verify } from '../primitives/ed25519.ts'
import { sha256 } from '../primitives/kdf.ts'
import { ADMIN_CERTIFICATE_CONTEXT } from './contexts.ts'
import { ORG_ID_LENGTH, PUBLIC_KEY_LENGTH } from './org-anchor.ts'
import { decodeRoles, encodeRoles, type Role } from './roles.ts'

export const CERTIFICATE_VERSION = 1
export const CERTIFICATE_KIND_ADMIN = 1
export const CERTIFICATE_KIND_DEVICE = 2
export const MAX_NAME_BYTES = 128
export const MAX_CERTIFICATE_BYTES = 1024

export interface AdminCertificateFields {
  orgId: Uint8Array
  adminKey: Uint8Array
  name: string
  roles: ReadonlySet<Role>
  notBefore: number
  notAfter: number
}

export interface AdminCertificate extends AdminCertificateFields {
  kind: 'admin'
  /** The whole encoded certificate, signature included. */
  bytes: Uint8Array
  /** sha256(bytes): how logs and credentials name this certificate. */
  hash: Uint8Array
  signature: Uint8Array
}

function writeAdminBody(f: AdminCertificateFields): Uint8Array {
  if (!(f.notBefore < f.notAfter)) throw new RangeError('notBefore must precede notAfter')
  return new Writer(160)
    .u8(CERTIFICATE_VERSION)
    .u8(CERTIFICATE_KIND_ADMIN)
    .fixed(f.orgId, ORG_ID_LENGTH, 'orgId')
    .fixed(f.adminKey, PUBLIC_KEY_LENGTH, 'adminKey')
    .string(f.name)
    .u8(encodeRoles(f.roles))
    .u64(f.notBefore)
    .u64(f.notAfter)
    .finish()
}

/** Root signs an admin certificate. */
export function createAdminCertificate(
  rootSecretKey: Uint8Array,
  fields: AdminCertificateFields,
): AdminCertificate {
  const body = writeAdminBody(fields)
  const signature = sign(rootSecretKey, ADMIN_CERTIFICATE_CONTEXT, body)
  const bytes = new Writer(body.length + 64).raw(body).raw(signature).finish()
  return decodeAdminCertificate(bytes)
}

/** Distrustful decode: version, kind, every length and the window are checked; no bytes left. */
export function decodeAdminCertificate(bytes: Uint8Array): AdminCertificate {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  if (bytes.length > MAX_CERTIFICATE_BYTES) fail('codec/too-long', 'certificate too long')
  const r = new Reader(bytes)
  const version = r.u8()
  if (version !== CERTIFICATE_VERSION) fail('codec/bad-version', 'unknown certificate version')
  const kind = r.u8()
  if (kind !== CERTIFICATE_KIND_ADMIN) fail('codec/bad-type', 'not an admin certificate')
  const orgId = r.fixed(ORG_ID_LENGTH)
  const adminKey = r.fixed(PUBLIC_KEY_LENGTH)
  const name = r.string(MAX_NAME_BYTES)
  const roles = decodeRoles(r.u8())
  const notBefore = r.u64()
  const notAfter = r.u64()
  if (!(notBefore < notAfter)) fail('codec/bad-value', 'empty validity window')
  const signature = r.fixed(SIGNATURE_LENGTH)
  r.end()
  return {
    kind: 'admin',
    bytes: bytes.slice(),
    hash: sha256(bytes),
    signature,
    orgId,
    adminKey,
    name,
    roles,
    notBefore,
    notAfter,
  }
}

/** The signed part: everything but the trailing signature. */
export function certificateBody(cert: { bytes: Uint8Array }): Uint8Array {
  return cert.bytes.subarray(0, cert.bytes.length - SIGNATURE_LENGTH)
}

/** True when the root key signed this admin certificate (labelled, zip215: false). */
export function adminCertificateSignedBy(cert: AdminCertificate, rootKey: Uint8Array): boolean {
  return verify(rootKey, ADMIN_CERTIFICATE_CONTEXT, certificateBody(cert), cert.signature)
}
