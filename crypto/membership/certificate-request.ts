// Certificate request: a new device's keys and proposed names, MACed with a key derived from the
// invite secret (proof of the link) and signed by the device key (proof of possession)
// (docs/protocol/membership.md §11).

import { equalBytes } from '../codec/bytes.ts'
import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { sign, SIGNATURE_LENGTH, signingPublicKey, verify } from '../primitives/ed25519.ts'
import { hkdf, hmacSha256 } from '../primitives/kdf.ts'
import { MAX_NAME_BYTES } from './admin-certificate.ts'
import { CERTIFICATE_REQUEST_CONTEXT, INVITE_PROOF_CONTEXT } from './contexts.ts'
import { DEVICE_ID_LENGTH, MAX_USER_ID_BYTES } from './device-certificate.ts'
import { INVITE_ID_LENGTH } from './invitation.ts'
import { ORG_ID_LENGTH, PUBLIC_KEY_LENGTH } from './org-anchor.ts'

export const CERTIFICATE_REQUEST_VERSION = 1
export const PROOF_LENGTH = 32

export interface CertificateRequestFields {
  orgId: Uint8Array
  inviteId: Uint8Array
  /** Proposed user id (the approving admin may override it); may be empty. */
  userId: string
  displayName: string
  deviceId: Uint8Array
  signingPublicKey: Uint8Array
  identityDhPublicKey: Uint8Array
  createdAt: number
}

export interface CertificateRequest extends CertificateRequestFields {
  bytes: Uint8Array
  proof: Uint8Array
  signature: Uint8Array
}

function proofKey(secret: Uint8Array): Uint8Array {
  return hkdf(secret, undefined, INVITE_PROOF_CONTEXT, 32)
}

export function createCertificateRequest(
  fields: Omit<CertificateRequestFields, 'signingPublicKey'>,
  inviteSecret: Uint8Array,
  deviceSigningSecretKey: Uint8Array,
): CertificateRequest {
  const body = new Writer(256).u8(CERTIFICATE_REQUEST_VERSION)
    .fixed(fields.orgId, ORG_ID_LENGTH, 'orgId')
    .fixed(fields.inviteId, INVITE_ID_LENGTH, 'inviteId')
    .string(fields.userId)
    .string(fields.displayName)
    .fixed(fields.deviceId, DEVICE_ID_LENGTH, 'deviceId')
    .fixed(signingPublicKey(deviceSigningSecretKey), PUBLIC_KEY_LENGTH, 'signingPublicKey')
    .fixed(fields.identityDhPublicKey, PUBLIC_KEY_LENGTH, 'identityDhPublicKey')
    .u64(fields.createdAt)
    .finish()
  const proof = hmacSha256(proofKey(inviteSecret), body)
  const signed = new Writer(body.length + 96).raw(body).raw(proof).finish()
  const signature = sign(deviceSigningSecretKey, CERTIFICATE_REQUEST_CONTEXT, signed)
  return decodeCertificateRequest(
    new Writer(signed.length + 64).raw(signed).raw(signature).finish(),
  )
}

export function decodeCertificateRequest(bytes: Uint8Array): CertificateRequest {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  if (bytes.length > 1024) fail('codec/too-long', 'request too long')
  const r = new Reader(bytes)
  if (r.u8() !== CERTIFICATE_REQUEST_VERSION) fail('codec/bad-version', 'unknown request version')
  const orgId = r.fixed(ORG_ID_LENGTH)
  const inviteId = r.fixed(INVITE_ID_LENGTH)
  const userId = r.string(MAX_USER_ID_BYTES)
  const displayName = r.string(MAX_NAME_BYTES)
  const deviceId = r.fixed(DEVICE_ID_LENGTH)
  const signingPublicKey = r.fixed(PUBLIC_KEY_LENGTH)
  const identityDhPublicKey = r.fixed(PUBLIC_KEY_LENGTH)
  const createdAt = r.u64()
  const proof = r.fixed(PROOF_LENGTH)
  const signature = r.fixed(SIGNATURE_LENGTH)
  r.end()
  return {
    bytes: bytes.slice(),
    orgId,
    inviteId,
    userId,
    displayName,
    deviceId,
    signingPublicKey,
    identityDhPublicKey,
    createdAt,
    proof,
    signature,
  }
}

/**
 * Checks the device's signature (`crypto/bad-signature`) and, when the invite secret is given,
 * the proof that the requester holds the link (`membership/untrusted`).
 */
export function verifyCertificateRequest(
  request: CertificateRequest,
  inviteSecret: Uint8Array | null,
): void {
  const signed = request.bytes.subarray(0, request.bytes.length - SIGNATURE_LENGTH)
  if (!verify(request.signingPublicKey, CERTIFICATE_REQUEST_CONTEXT, signed, request.signature)) {
    fail('crypto/bad-signature', 'bad signature')
  }
  if (inviteSecret === null) return
  const body = signed.subarray(0, signed.length - PROOF_LENGTH)
  if (!equalBytes(hmacSha256(proofKey(inviteSecret), body), request.proof)) {
    fail('membership/untrusted', 'request does not prove the invite secret')
  }
}
