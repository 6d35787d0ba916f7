// Device certificate: an admin (or the root) vouches for a device's keys, user, roles, validity
// window and Yjs client-id range (docs/protocol/membership.md §4).

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { sign, SIGNATURE_LENGTH, verify } from '../primitives/ed25519.ts'
import { sha256 } from '../primitives/kdf.ts'
import {
  CERTIFICATE_KIND_DEVICE,
  CERTIFICATE_VERSION,
  certificateBody,
  MAX_CERTIFICATE_BYTES,
  MAX_NAME_BYTES,
} from './admin-certificate.ts'
import { DEVICE_CERTIFICATE_CONTEXT } from './contexts.ts'
import { ORG_ID_LENGTH, PUBLIC_KEY_LENGTH } from './org-anchor.ts'
import { decodeRoles, encodeRoles, type Role } from './roles.ts'

export const DEVICE_ID_LENGTH = 16
export const MAX_USER_ID_BYTES = 64
/** Yjs client ids are uint32: a range is [start, end) inside [0, 2^32). */
export const CLIENT_ID_LIMIT = 0x100000000
export const DAY_MS = 24 * 60 * 60 * 1000
export const DEFAULT_DEVICE_VALIDITY_MS = 30 * DAY_MS

export interface ClientIdRange {
  start: number
  end: number
}

export interface DeviceCertificateFields {
  orgId: Uint8Array
  /** Signing key of the issuing admin, or the org root key. */
  issuer: Uint8Array
  userId: string
  displayName: string
  deviceId: Uint8Array
  signingPublicKey: Uint8Array
  identityDhPublicKey: Uint8Array
  roles: ReadonlySet<Role>
  notBefore: number
  notAfter: number
  clientIdRange: ClientIdRange
}

export interface DeviceCertificate extends DeviceCertificateFields {
  kind: 'device'
  bytes: Uint8Array
  hash: Uint8Array
  signature: Uint8Array
}

function assertRange(range: ClientIdRange): boolean {
  return Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) &&
    range.start >= 0 && range.start < range.end && range.end <= CLIENT_ID_LIMIT
}

function writeDeviceBody(f: DeviceCertificateFields): Uint8Array {
  if (!(f.notBefore < f.notAfter)) throw new RangeError('notBefore must precede notAfter')
  if (!assertRange(f.clientIdRange)) throw new RangeError('bad client id range')
  if (f.userId.length === 0) throw new RangeError('empty user id')
  return new Writer(256)
    .u8(CERTIFICATE_VERSION)
    .u8(CERTIFICATE_KIND_DEVICE)
    .fixed(f.orgId, ORG_ID_LENGTH, 'orgId')
    .fixed(f.issuer, PUBLIC_KEY_LENGTH, 'issuer')
    .string(f.userId)
    .string(f.displayName)
    .fixed(f.deviceId, DEVICE_ID_LENGTH, 'deviceId')
    .fixed(f.signingPublicKey, PUBLIC_KEY_LENGTH, 'signingPublicKey')
    .fixed(f.identityDhPublicKey, PUBLIC_KEY_LENGTH, 'identityDhPublicKey')
    .u8(encodeRoles(f.roles))
    .u64(f.notBefore)
    .u64(f.notAfter)
    .varuint(f.clientIdRange.start)
    .varuint(f.clientIdRange.end)
    .finish()
}

/** The issuer (admin or root) signs a device certificate. */
export function createDeviceCertificate(
  issuerSecretKey: Uint8Array,
  fields: DeviceCertificateFields,
): DeviceCertificate {
  const body = writeDeviceBody(fields)
  const signature = sign(issuerSecretKey, DEVICE_CERTIFICATE_CONTEXT, body)
  return decodeDeviceCertificate(new Writer(body.length + 64).raw(body).raw(signature).finish())
}

export function decodeDeviceCertificate(bytes: Uint8Array): DeviceCertificate {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  if (bytes.length > MAX_CERTIFICATE_BYTES) fail('codec/too-long', 'certificate too long')
  const r = new Reader(bytes)
  if (r.u8() !== CERTIFICATE_VERSION) fail('codec/bad-version', 'unknown certificate version')
  if (r.u8() !== CERTIFICATE_KIND_DEVICE) fail('codec/bad-type', 'not a device certificate')
  const orgId = r.fixed(ORG_ID_LENGTH)
  const issuer = r.fixed(PUBLIC_KEY_LENGTH)
  const userId = r.string(MAX_USER_ID_BYTES)
  if (userId.length === 0) fail('codec/bad-value', 'empty user id')
  const displayName = r.string(MAX_NAME_BYTES)
  const deviceId = r.fixed(DEVICE_ID_LENGTH)
  const signingPublicKey = r.fixed(PUBLIC_KEY_LENGTH)
  const identityDhPublicKey = r.fixed(PUBLIC_KEY_LENGTH)
  const roles = decodeRoles(r.u8())
  const notBefore = r.u64()
  const notAfter = r.u64()
  if (!(notBefore < notAfter)) fail('codec/bad-value', 'empty validity window')
  const start = r.varuint(CLIENT_ID_LIMIT)
  const end = r.varuint(CLIENT_ID_LIMIT)
  if (!assertRange({ start, end })) fail('codec/bad-value', 'bad client id range')
  const signature = r.fixed(SIGNATURE_LENGTH)
  r.end()
  return {
    kind: 'device',
    bytes: bytes.slice(),
    hash: sha256(bytes),
    signature,
    orgId,
    issuer,
    userId,
    displayName,
    deviceId,
    signingPublicKey,
    identityDhPublicKey,
    roles,
    notBefore,
    notAfter,
    clientIdRange: { start, end },
  }
}

/** True when `issuerKey` signed this device certificate (labelled, zip215: false). */
export function deviceCertificateSignedBy(cert: DeviceCertificate, issuerKey: Uint8Array): boolean {
  return verify(issuerKey, DEVICE_CERTIFICATE_CONTEXT, certificateBody(cert), cert.signature)
}
