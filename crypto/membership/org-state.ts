// Org state: what the org log says right now — members, devices, roles, revocations, admins,
// policies, channels and the prekey directory. Produced only by the reducer (reduce-org-log.ts).

import type { AdminCertificate } from './admin-certificate.ts'
import type { ClientIdRange, DeviceCertificate } from './device-certificate.ts'
import type { LogEntry } from './log-entry.ts'
import type { LogEntryType } from './log-entry-body.ts'
import type { OrgAnchor } from './org-anchor.ts'
import type { Role } from './roles.ts'

export interface DeviceIdentity {
  orgId: Uint8Array
  userId: string
  deviceId: Uint8Array
  displayName: string
  signingPublicKey: Uint8Array
  identityDhPublicKey: Uint8Array
  /** Current roles: those of the certificate, as changed since by `set-roles` entries. */
  roles: ReadonlySet<Role>
  notBefore: number
  notAfter: number
  clientIdRange: ClientIdRange
}

export interface DeviceRecord extends DeviceIdentity {
  /** The device certificate with the latest notAfter (issue or renewal). */
  certificate: DeviceCertificate
  /** Signing key of the admin (or root) that issued the device. */
  issuer: Uint8Array
  /** Id of the `issue-device` entry. */
  issuedBy: string
}

export interface AdminRecord {
  adminKey: Uint8Array
  name: string
  certificate: AdminCertificate
  /** Id of the latest `appoint-admin` entry for this key. */
  appointedBy: string
  revoked: boolean
}

export interface ChannelRecord {
  channelId: Uint8Array
  name: string
  broadcast: boolean
  /** Compliance: the org archiver journals this channel (DESIGN §6). */
  archived: boolean
  /** Set by `archive-channel`: the channel is closed for new messages. */
  retired: boolean
  createdBy: string
  /** Readable only by the active devices of `members` (plus auditors where `archived`). */
  private: boolean
  /**
   * User ids of a private channel's members: the creation's list as changed since by
   * `channel-members` entries (remove wins over a concurrent add, §9). Empty for public channels.
   */
  members: ReadonlySet<string>
}

export interface PolicyRecord {
  value: string
  setBy: string
}

/** A device's signed prekey from the directory: what a peer needs, with the device's
 * certified identity, to build its X3DH bundle (prekey-directory.ts `directoryBundle`). */
export interface PrekeyRecord {
  prekeyId: number
  /** X25519 signed prekey. */
  prekey: Uint8Array
  /** The X3DH signed-prekey signature, checked against the device's certified identity. */
  signature: Uint8Array
  publishedAt: number
  entryId: string
}

export interface RejectedEntry {
  id: string
  type: LogEntryType
  reason: string
}

export interface OrgState {
  anchor: OrgAnchor
  /** Current DAG heads (hashes of applied entries nobody builds on yet), sorted. */
  heads: Uint8Array[]
  /** Every device ever validly issued, keyed by hex device id — revoked ones included. */
  devices: ReadonlyMap<string, DeviceRecord>
  /** Hex device ids revoked, wiped, or belonging to a revoked user. Permanent. */
  revokedDevices: ReadonlySet<string>
  revokedUsers: ReadonlySet<string>
  wipedDevices: ReadonlySet<string>
  /** Admins keyed by hex admin key, revoked ones included (flagged). */
  admins: ReadonlyMap<string, AdminRecord>
  revokedAdmins: ReadonlySet<string>
  policies: ReadonlyMap<string, PolicyRecord>
  channels: ReadonlyMap<string, ChannelRecord>
  /** Signed prekey with the highest id per hex device id (active devices only). */
  prekeys: ReadonlyMap<string, PrekeyRecord>
  /** Hex hash of every device certificate the log validly issued or renewed -> hex device id. */
  certificates: ReadonlyMap<string, string>
  /** The applied entries, in the deterministic order the reducer applied them. */
  log: readonly LogEntry[]
  /** Entries that are well formed but invalid or void, with the reason; sorted by id. */
  rejected: readonly RejectedEntry[]
  /** Ids of entries waiting for ancestors this replica has not seen; sorted. */
  pending: readonly string[]
}

export function emptyOrgState(anchor: OrgAnchor): OrgState {
  return {
    anchor,
    heads: [],
    devices: new Map(),
    revokedDevices: new Set(),
    revokedUsers: new Set(),
    wipedDevices: new Set(),
    admins: new Map(),
    revokedAdmins: new Set(),
    policies: new Map(),
    channels: new Map(),
    prekeys: new Map(),
    certificates: new Map(),
    log: [],
    rejected: [],
    pending: [],
  }
}

/** A device that is issued and neither revoked, wiped nor part of a revoked user. */
export function isDeviceActive(state: OrgState, deviceIdHex: string): boolean {
  return state.devices.has(deviceIdHex) && !state.revokedDevices.has(deviceIdHex)
}

export function activeDevices(state: OrgState): DeviceRecord[] {
  return [...state.devices.entries()].filter(([id]) => !state.revokedDevices.has(id)).map((
    [, d],
  ) => d)
}
