// Test fixture: an org (root key, log entries, devices with credentials) built only through the
// committed crypto/membership API, so admission tests use real certificates and signatures.

import { base64url, fromBase64url, toHex } from '../../../crypto/codec/bytes.ts'
import { generateSigningKeyPair, type SigningKeyPair } from '../../../crypto/primitives/ed25519.ts'
import { generateDhKeyPair } from '../../../crypto/primitives/x25519.ts'
import {
  type AdminCertificate,
  createAdminCertificate,
  createDeviceCertificate,
  createLogEntry,
  encodeCredential,
  encodeLogBundle,
  formatOrgAnchor,
  type LogEntry,
  type LogEntryBody,
  type OrgAnchor,
  type Role,
  signAdmission,
} from '../../../crypto/membership/index.ts'

export const HOUR = 60 * 60 * 1000
export const DAY = 24 * HOUR
/** The tests' "now": the worker under test gets a clock that starts here. */
export const T0 = Date.UTC(2026, 10, 1)

export interface TestDevice {
  userId: string
  deviceId: Uint8Array
  deviceIdHex: string
  signing: SigningKeyPair
  credential: Uint8Array
  /** The log entry that issued it (not yet posted anywhere). */
  entry: LogEntry
}

export interface TestAdmin {
  keys: SigningKeyPair
  certificate: AdminCertificate
}

export class TestOrg {
  readonly root = generateSigningKeyPair()
  readonly anchor: OrgAnchor = {
    orgId: crypto.getRandomValues(new Uint8Array(16)),
    rootPublicKey: this.root.publicKey,
  }
  readonly anchorText = formatOrgAnchor(this.anchor)
  /** Every entry this org ever signed, in creation order. */
  readonly log: LogEntry[] = []
  private heads: Uint8Array[] = []
  private nextRange = 0

  /** Signs an entry on top of the current heads (or on top of `onTopOf`) and records it. */
  append(authorSecretKey: Uint8Array, body: LogEntryBody, onTopOf?: LogEntry[]): LogEntry {
    const entry = createLogEntry({
      orgId: this.anchor.orgId,
      authorSecretKey,
      timestamp: T0,
      heads: onTopOf ? onTopOf.map((e) => e.hash) : this.heads,
      body,
    })
    this.log.push(entry)
    this.heads = [entry.hash]
    return entry
  }

  /** A device issued by the root (or by `admin`), valid from T0 - 1 day until T0 + `validMs`. */
  issueDevice(userId: string, options: { validMs?: number; admin?: TestAdmin } = {}): TestDevice {
    const signing = generateSigningKeyPair()
    const deviceId = crypto.getRandomValues(new Uint8Array(16))
    const issuerKeys = options.admin?.keys ?? this.root
    const start = this.nextRange++ * 0x10000
    const certificate = createDeviceCertificate(issuerKeys.secretKey, {
      orgId: this.anchor.orgId,
      issuer: issuerKeys.publicKey,
      userId,
      displayName: userId,
      deviceId,
      signingPublicKey: signing.publicKey,
      identityDhPublicKey: generateDhKeyPair().publicKey,
      roles: new Set<Role>(['member']),
      notBefore: T0 - DAY,
      notAfter: T0 + (options.validMs ?? 30 * DAY),
      clientIdRange: { start, end: start + 0x10000 },
    })
    const entry = this.append(issuerKeys.secretKey, { type: 'issue-device', certificate })
    const chain = options.admin ? [options.admin.certificate] : []
    return {
      userId,
      deviceId,
      deviceIdHex: toHex(deviceId),
      signing,
      credential: encodeCredential({ device: certificate, chain }),
      entry,
    }
  }

  /** An admin appointed by the root, able to issue devices. */
  appointAdmin(name: string): TestAdmin {
    const keys = generateSigningKeyPair()
    const certificate = createAdminCertificate(this.root.secretKey, {
      orgId: this.anchor.orgId,
      adminKey: keys.publicKey,
      name,
      roles: new Set<Role>(['admin']),
      notBefore: T0 - DAY,
      notAfter: T0 + 365 * DAY,
    })
    this.append(this.root.secretKey, { type: 'appoint-admin', certificate })
    return { keys, certificate }
  }

  revokeDevice(device: TestDevice): LogEntry {
    return this.append(this.root.secretKey, {
      type: 'revoke-device',
      deviceId: device.deviceId,
      reason: 'lost phone',
    })
  }

  revokeUser(userId: string): LogEntry {
    return this.append(this.root.secretKey, { type: 'revoke-user', userId, reason: 'left' })
  }

  bundle(entries: LogEntry[] = this.log): Uint8Array<ArrayBuffer> {
    return encodeLogBundle(entries) as Uint8Array<ArrayBuffer>
  }
}

/** The client side of admission: the `auth` message answering `challenge` (base64url). */
export function authMessage(
  org: { anchor: OrgAnchor },
  device: TestDevice,
  challenge: string,
): Record<string, string> {
  const bytes = fromBase64url(challenge)
  return {
    type: 'auth',
    challenge,
    credential: base64url(device.credential),
    signature: base64url(signAdmission(device.signing.secretKey, org.anchor.orgId, bytes)),
  }
}

/** POSTs a bundle to a running worker's /org/log. */
export async function postLog(url: string, bundle: Uint8Array<ArrayBuffer>): Promise<Response> {
  return await fetch(`${url}/org/log`, { method: 'POST', body: bundle })
}
