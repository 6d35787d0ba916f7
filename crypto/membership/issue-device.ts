// Pure issuing helpers an admin (the CLI or a live admin device) calls: sign a new entry on top
// of the current heads, issue or renew a device, all without I/O.

import { equalBytes, toHex, utf8 } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import { signingPublicKey } from '../primitives/ed25519.ts'
import type { RandomSource } from '../primitives/random.ts'
import { type AdminCertificate, MAX_NAME_BYTES } from './admin-certificate.ts'
import { allocateClientIdRange } from './client-id-ranges.ts'
import { type Credential, encodeCredential } from './credential.ts'
import {
  createDeviceCertificate,
  DEFAULT_DEVICE_VALIDITY_MS,
  type DeviceCertificate,
  MAX_USER_ID_BYTES,
} from './device-certificate.ts'
import { createLogEntry, type LogEntry, MAX_HEADS } from './log-entry.ts'
import type { LogEntryBody } from './log-entry-body.ts'
import type { OrgState } from './org-state.ts'
import type { Role } from './roles.ts'

/** Who signs: the root (empty chain) or an admin with its root-signed certificate. */
export interface Issuer {
  secretKey: Uint8Array
  chain: AdminCertificate[]
}

/** Sign `body` as a new entry naming the state's heads (the newest MAX_HEADS if more). */
export function appendOrgEntry(
  state: OrgState,
  authorSecretKey: Uint8Array,
  body: LogEntryBody,
  now: number,
): LogEntry {
  const heads = state.heads.length > MAX_HEADS ? state.heads.slice(-MAX_HEADS) : state.heads
  return createLogEntry({
    orgId: state.anchor.orgId,
    authorSecretKey,
    timestamp: now,
    heads,
    body,
  })
}

export interface NewDevice {
  userId: string
  displayName: string
  deviceId: Uint8Array
  signingPublicKey: Uint8Array
  identityDhPublicKey: Uint8Array
  roles: ReadonlySet<Role>
}

export interface IssuedDevice {
  certificate: DeviceCertificate
  entry: LogEntry
  credential: Credential
  credentialBytes: Uint8Array
}

function credentialFor(certificate: DeviceCertificate, issuer: Issuer, entry: LogEntry) {
  const credential = { device: certificate, chain: issuer.chain }
  return { certificate, entry, credential, credentialBytes: encodeCredential(credential) }
}

export function issueDevice(
  state: OrgState,
  issuer: Issuer,
  device: NewDevice,
  options: { now: number; random: RandomSource; validityMs?: number },
): IssuedDevice {
  if (device.userId.length === 0) fail('codec/bad-value', 'user id is empty')
  if (utf8(device.userId).length > MAX_USER_ID_BYTES) fail('codec/too-long', 'user id too long')
  if (utf8(device.displayName).length > MAX_NAME_BYTES) {
    fail('codec/too-long', 'display name too long')
  }
  if (state.devices.has(toHex(device.deviceId))) fail('membership/forbidden', 'device id in use')
  if (state.revokedUsers.has(device.userId)) fail('membership/revoked', 'user is revoked')
  for (const d of state.devices.values()) {
    if (equalBytes(d.signingPublicKey, device.signingPublicKey)) {
      fail('membership/forbidden', 'signing key already belongs to a device')
    }
  }
  const issuerKey = signingPublicKey(issuer.secretKey)
  const ranges = [...state.devices.values()].map((d) => d.clientIdRange)
  const certificate = createDeviceCertificate(issuer.secretKey, {
    orgId: state.anchor.orgId,
    issuer: issuerKey,
    ...device,
    notBefore: options.now,
    notAfter: options.now + (options.validityMs ?? DEFAULT_DEVICE_VALIDITY_MS),
    clientIdRange: allocateClientIdRange(ranges, options.random),
  })
  const entry = appendOrgEntry(
    state,
    issuer.secretKey,
    { type: 'issue-device', certificate },
    options.now,
  )
  return credentialFor(certificate, issuer, entry)
}

/** A new certificate for an existing, active device: same keys, user, roles and range. */
export function renewDevice(
  state: OrgState,
  issuer: Issuer,
  deviceIdHex: string,
  options: { now: number; validityMs?: number },
): IssuedDevice {
  const d = state.devices.get(deviceIdHex)
  if (!d) fail('membership/untrusted', 'unknown device')
  if (state.revokedDevices.has(deviceIdHex)) fail('membership/revoked', 'device is revoked')
  const certificate = createDeviceCertificate(issuer.secretKey, {
    orgId: state.anchor.orgId,
    issuer: signingPublicKey(issuer.secretKey),
    userId: d.userId,
    displayName: d.displayName,
    deviceId: d.deviceId,
    signingPublicKey: d.signingPublicKey,
    identityDhPublicKey: d.identityDhPublicKey,
    roles: d.roles,
    notBefore: options.now,
    notAfter: options.now + (options.validityMs ?? DEFAULT_DEVICE_VALIDITY_MS),
    clientIdRange: d.clientIdRange,
  })
  const entry = appendOrgEntry(
    state,
    issuer.secretKey,
    { type: 'renew-device', certificate },
    options.now,
  )
  return credentialFor(certificate, issuer, entry)
}
