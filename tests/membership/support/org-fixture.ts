// Test fixture: a seeded org (root, admins, devices) built only through the public membership
// API, so every story starts from the same replayable bytes.

import { chacha20 } from '@noble/ciphers/chacha.js'
import type { RandomSource } from '../../../crypto/primitives/random.ts'
import { generateSigningKeyPair, type SigningKeyPair } from '../../../crypto/primitives/ed25519.ts'
import { type DhKeyPair, generateDhKeyPair } from '../../../crypto/primitives/x25519.ts'
import {
  type AdminCertificate,
  appendOrgEntry,
  createAdminCertificate,
  DAY_MS,
  type IssuedDevice,
  issueDevice,
  type Issuer,
  type LogEntry,
  type LogEntryBody,
  type OrgAnchor,
  type OrgState,
  reduceOrgLog,
  type Role,
} from '../../../crypto/membership/index.ts'

export const T0 = Date.UTC(2026, 10, 1)

export function seededRandom(seed: number): RandomSource {
  const key = new Uint8Array(32)
  new DataView(key.buffer).setUint32(0, seed >>> 0)
  new DataView(key.buffer).setUint32(4, 0x6d656d62) // 'memb': distinct from other suites' streams
  let counter = 0
  return (n) => {
    const nonce = new Uint8Array(12)
    new DataView(nonce.buffer).setUint32(0, counter++)
    return chacha20(key, nonce, new Uint8Array(n))
  }
}

export interface TestDevice {
  signing: SigningKeyPair
  dh: DhKeyPair
  deviceId: Uint8Array
}

export interface TestAdmin extends Issuer {
  keys: SigningKeyPair
  certificate: AdminCertificate
}

/** An org whose log is a plain array; `state()` reduces it from scratch every time. */
export class TestOrg {
  readonly random: RandomSource
  readonly root: SigningKeyPair
  readonly anchor: OrgAnchor
  readonly rootIssuer: Issuer
  log: LogEntry[] = []
  now = T0

  constructor(seed = 1) {
    this.random = seededRandom(seed)
    this.root = generateSigningKeyPair(this.random)
    this.anchor = { orgId: this.random(16), rootPublicKey: this.root.publicKey }
    this.rootIssuer = { secretKey: this.root.secretKey, chain: [] }
  }

  state(entries: Iterable<LogEntry> = this.log): OrgState {
    return reduceOrgLog(this.anchor, entries)
  }

  newDevice(): TestDevice {
    return {
      signing: generateSigningKeyPair(this.random),
      dh: generateDhKeyPair(this.random),
      deviceId: this.random(16),
    }
  }

  /** Signs `body` on top of `onTopOf` (default: the current log) and appends it. */
  append(authorSecretKey: Uint8Array, body: LogEntryBody, onTopOf = this.log): LogEntry {
    const entry = appendOrgEntry(this.state(onTopOf), authorSecretKey, body, this.now)
    this.log.push(entry)
    return entry
  }

  appointAdmin(name: string, days = 365): TestAdmin {
    const keys = generateSigningKeyPair(this.random)
    const certificate = createAdminCertificate(this.root.secretKey, {
      orgId: this.anchor.orgId,
      adminKey: keys.publicKey,
      name,
      roles: new Set<Role>(['admin']),
      notBefore: this.now - DAY_MS,
      notAfter: this.now + days * DAY_MS,
    })
    this.append(this.root.secretKey, { type: 'appoint-admin', certificate })
    return { keys, certificate, secretKey: keys.secretKey, chain: [certificate] }
  }

  /** Issues a device on top of `onTopOf` and appends the entry. */
  issue(
    issuer: Issuer,
    userId: string,
    options: { roles?: Role[]; validityMs?: number; onTopOf?: LogEntry[]; device?: TestDevice } =
      {},
  ): IssuedDevice & { device: TestDevice } {
    const device = options.device ?? this.newDevice()
    const issued = issueDevice(this.state(options.onTopOf ?? this.log), issuer, {
      userId,
      displayName: userId.toUpperCase(),
      deviceId: device.deviceId,
      signingPublicKey: device.signing.publicKey,
      identityDhPublicKey: device.dh.publicKey,
      roles: new Set<Role>(options.roles ?? ['member']),
    }, { now: this.now, random: this.random, validityMs: options.validityMs })
    this.log.push(issued.entry)
    return { ...issued, device }
  }
}

export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
}
