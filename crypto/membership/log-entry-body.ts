// The typed bodies of org-log entries: one numeric type per admin action, each with its own
// small grammar (docs/protocol/membership.md §6).

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import {
  type AdminCertificate,
  decodeAdminCertificate,
  MAX_CERTIFICATE_BYTES,
  MAX_NAME_BYTES,
} from './admin-certificate.ts'
import {
  decodeDeviceCertificate,
  DEVICE_ID_LENGTH,
  type DeviceCertificate,
  MAX_USER_ID_BYTES,
} from './device-certificate.ts'
import { PUBLIC_KEY_LENGTH } from './org-anchor.ts'
import { SIGNATURE_LENGTH } from '../primitives/ed25519.ts'
import { decodeRoles, encodeRoles, type Role } from './roles.ts'
import { canonicalUserIds, readUserIdList, writeUserIdList } from './user-id-list.ts'

export const CHANNEL_ID_LENGTH = 16
export const MAX_REASON_BYTES = 256
export const MAX_POLICY_KEY_BYTES = 64
export const MAX_POLICY_VALUE_BYTES = 1024

export type LogEntryBody =
  | { type: 'appoint-admin'; certificate: AdminCertificate }
  | { type: 'revoke-admin'; adminKey: Uint8Array; reason: string }
  | { type: 'issue-device'; certificate: DeviceCertificate }
  | { type: 'renew-device'; certificate: DeviceCertificate }
  | { type: 'revoke-device'; deviceId: Uint8Array; reason: string }
  | { type: 'revoke-user'; userId: string; reason: string }
  | { type: 'wipe-device'; deviceId: Uint8Array; reason: string }
  | { type: 'set-roles'; deviceId: Uint8Array; roles: ReadonlySet<Role> }
  | { type: 'set-policy'; key: string; value: string }
  | {
    type: 'create-channel'
    channelId: Uint8Array
    name: string
    broadcast: boolean
    archived: boolean
    /** Readable only by its members' devices. Absent = false (decoded bodies always set it). */
    private?: boolean
    /** Initial member user ids of a private channel; must be empty or absent otherwise. */
    members?: readonly string[]
  }
  | { type: 'archive-channel'; channelId: Uint8Array }
  /** The old layout (type 12): no X3DH signature. Applied, never in the directory (§6). */
  | { type: 'publish-prekey-v1'; prekeyId: number; prekey: Uint8Array }
  | {
    type: 'channel-members'
    channelId: Uint8Array
    /** User ids to add and to remove; disjoint, and not both empty. */
    add: readonly string[]
    remove: readonly string[]
  }
  | {
    type: 'publish-prekey'
    prekeyId: number
    /** X25519 signed prekey. */
    prekey: Uint8Array
    /** The X3DH signed-prekey signature (crypto/x3dh/prekey-bundle.ts) by the device itself. */
    signature: Uint8Array
  }

export type LogEntryType = LogEntryBody['type']

/** Wire numbers of the entry types; 0 and unknown numbers are `codec/bad-type`. */
export const LOG_ENTRY_TYPES: readonly LogEntryType[] = [
  'appoint-admin', // 1
  'revoke-admin', // 2
  'issue-device', // 3
  'renew-device', // 4
  'revoke-device', // 5
  'revoke-user', // 6
  'wipe-device', // 7
  'set-roles', // 8
  'set-policy', // 9
  'create-channel', // 10
  'archive-channel', // 11
  'publish-prekey-v1', // 12: the unsigned layout, superseded by 14
  'channel-members', // 13
  'publish-prekey', // 14
]

export function logEntryTypeNumber(type: LogEntryType): number {
  const n = LOG_ENTRY_TYPES.indexOf(type)
  if (n < 0) throw new RangeError(`unknown log entry type ${type}`)
  return n + 1
}

export function logEntryTypeFromNumber(n: number): LogEntryType {
  const type = LOG_ENTRY_TYPES[n - 1]
  if (n < 1 || type === undefined) fail('codec/bad-type', 'unknown log entry type')
  return type
}

const CHANNEL_BROADCAST = 1
const CHANNEL_ARCHIVED = 2
/** Only with this bit does a create-channel body go on, with the initial member list. */
export const CHANNEL_PRIVATE = 4
const CHANNEL_FLAGS = CHANNEL_BROADCAST | CHANNEL_ARCHIVED | CHANNEL_PRIVATE

export function encodeLogEntryBody(body: LogEntryBody): Uint8Array {
  const w = new Writer(128)
  switch (body.type) {
    case 'appoint-admin':
    case 'issue-device':
    case 'renew-device':
      return w.bytes(body.certificate.bytes).finish()
    case 'revoke-admin':
      return w.fixed(body.adminKey, PUBLIC_KEY_LENGTH, 'adminKey').string(body.reason).finish()
    case 'revoke-device':
    case 'wipe-device':
      return w.fixed(body.deviceId, DEVICE_ID_LENGTH, 'deviceId').string(body.reason).finish()
    case 'revoke-user':
      return w.string(body.userId).string(body.reason).finish()
    case 'set-roles':
      return w.fixed(body.deviceId, DEVICE_ID_LENGTH, 'deviceId').u8(encodeRoles(body.roles))
        .finish()
    case 'set-policy':
      return w.string(body.key).string(body.value).finish()
    case 'create-channel': {
      w.fixed(body.channelId, CHANNEL_ID_LENGTH, 'channelId').string(body.name).u8(
        (body.broadcast ? CHANNEL_BROADCAST : 0) | (body.archived ? CHANNEL_ARCHIVED : 0) |
          (body.private ? CHANNEL_PRIVATE : 0),
      )
      if (body.private) return writeUserIdList(w, body.members ?? [], 'members').finish()
      if (body.members?.length) throw new RangeError('only a private channel lists members')
      return w.finish()
    }
    case 'archive-channel':
      return w.fixed(body.channelId, CHANNEL_ID_LENGTH, 'channelId').finish()
    case 'publish-prekey-v1':
      return w.u32(body.prekeyId).fixed(body.prekey, PUBLIC_KEY_LENGTH, 'prekey').finish()
    case 'publish-prekey':
      return w.u32(body.prekeyId).fixed(body.prekey, PUBLIC_KEY_LENGTH, 'prekey')
        .fixed(body.signature, SIGNATURE_LENGTH, 'signature').finish()
    case 'channel-members': {
      const add = canonicalUserIds(body.add, 'add')
      const remove = canonicalUserIds(body.remove, 'remove')
      if (add.length + remove.length === 0) throw new RangeError('nothing to add or remove')
      if (add.some((id) => remove.includes(id))) {
        throw new RangeError('a user cannot be both added and removed')
      }
      w.fixed(body.channelId, CHANNEL_ID_LENGTH, 'channelId')
      return writeUserIdList(writeUserIdList(w, add, 'add'), remove, 'remove').finish()
    }
  }
}

/** Reads the body of an entry of `type`; the caller checks that `r` ends afterwards. */
export function readLogEntryBody(r: Reader, type: LogEntryType): LogEntryBody {
  switch (type) {
    case 'appoint-admin':
      return { type, certificate: decodeAdminCertificate(r.bytes(MAX_CERTIFICATE_BYTES)) }
    case 'issue-device':
    case 'renew-device':
      return { type, certificate: decodeDeviceCertificate(r.bytes(MAX_CERTIFICATE_BYTES)) }
    case 'revoke-admin':
      return { type, adminKey: r.fixed(PUBLIC_KEY_LENGTH), reason: r.string(MAX_REASON_BYTES) }
    case 'revoke-device':
    case 'wipe-device':
      return { type, deviceId: r.fixed(DEVICE_ID_LENGTH), reason: r.string(MAX_REASON_BYTES) }
    case 'revoke-user': {
      const userId = r.string(MAX_USER_ID_BYTES)
      if (userId.length === 0) fail('codec/bad-value', 'empty user id')
      return { type, userId, reason: r.string(MAX_REASON_BYTES) }
    }
    case 'set-roles':
      return { type, deviceId: r.fixed(DEVICE_ID_LENGTH), roles: decodeRoles(r.u8()) }
    case 'set-policy': {
      const key = r.string(MAX_POLICY_KEY_BYTES)
      if (!/^[a-z0-9][a-z0-9._-]*$/.test(key)) fail('codec/bad-value', 'bad policy key')
      return { type, key, value: r.string(MAX_POLICY_VALUE_BYTES) }
    }
    case 'create-channel': {
      const channelId = r.fixed(CHANNEL_ID_LENGTH)
      const name = r.string(MAX_NAME_BYTES)
      const flags = r.u8()
      if (flags & ~CHANNEL_FLAGS) fail('codec/bad-value', 'channel flags')
      const isPrivate = (flags & CHANNEL_PRIVATE) !== 0
      return {
        type,
        channelId,
        name,
        broadcast: (flags & CHANNEL_BROADCAST) !== 0,
        archived: (flags & CHANNEL_ARCHIVED) !== 0,
        private: isPrivate,
        members: isPrivate ? readUserIdList(r) : [],
      }
    }
    case 'archive-channel':
      return { type, channelId: r.fixed(CHANNEL_ID_LENGTH) }
    case 'publish-prekey-v1':
      return { type, prekeyId: r.u32(), prekey: r.fixed(PUBLIC_KEY_LENGTH) }
    case 'publish-prekey': {
      const prekeyId = r.u32()
      const prekey = r.fixed(PUBLIC_KEY_LENGTH)
      return { type, prekeyId, prekey, signature: r.fixed(SIGNATURE_LENGTH) }
    }
    case 'channel-members': {
      const channelId = r.fixed(CHANNEL_ID_LENGTH)
      const add = readUserIdList(r)
      const remove = readUserIdList(r)
      if (add.length + remove.length === 0) fail('codec/bad-value', 'empty membership change')
      const added = new Set(add)
      if (remove.some((id) => added.has(id))) {
        fail('codec/bad-value', 'a user is both added and removed')
      }
      return { type, channelId, add, remove }
    }
  }
}
