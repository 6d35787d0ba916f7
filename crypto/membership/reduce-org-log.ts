// The pure reducer: a set of org-log entries -> org state, identical for every arrival order.
//
// Resolution rules (docs/protocol/membership.md §9):
// 1. Entries that fail their own checks (org, signature, certificate) are rejected; entries
//    with a missing or rejected ancestor wait in `pending`.
// 2. Entries apply in (depth, hash) order, a topological order of the DAG every replica shares.
// 3. The root is always authorised. Only the root appoints or revokes admins.
// 4. An admin's entry counts only if an appointment of that key is in its causal past, its
//    timestamp lies inside that appointment's certificate window, and it is in the causal past of
//    EVERY root revocation of that key. So entries made after, or concurrently with, the
//    revocation are void, and a later root entry cannot resurrect them.
// 5. Revocation wins: revoked devices, users and admins stay revoked whatever else happens; a
//    device id, signing key, client-id range or channel id is never reissued or replaced.

import { toHex } from '../codec/bytes.ts'
import { closure, placeEntries } from './org-log-dag.ts'
import { staticRejection } from './org-log-checks.ts'
import type { LogEntry } from './log-entry.ts'
import type { OrgAnchor } from './org-anchor.ts'
import type {
  AdminRecord,
  ChannelRecord,
  DeviceRecord,
  OrgState,
  PolicyRecord,
  PrekeyRecord,
  RejectedEntry,
} from './org-state.ts'
import { ClientIdRanges } from './client-id-ranges.ts'
import { sameRoles } from './roles.ts'

interface Appointment {
  notBefore: number
  notAfter: number
  descendants: Set<string>
}

export function reduceOrgLog(anchor: OrgAnchor, entries: Iterable<LogEntry>): OrgState {
  const rootHex = toHex(anchor.rootPublicKey)
  const rejected: RejectedEntry[] = []
  const reject = (e: LogEntry, reason: string) => rejected.push({ id: e.id, type: e.type, reason })

  const valid = new Map<string, LogEntry>()
  const seen = new Set<string>()
  for (const e of entries) {
    if (seen.has(e.id)) continue // a replay of the same bytes is the same entry
    seen.add(e.id)
    const why = staticRejection(anchor, e)
    if (why) reject(e, why)
    else valid.set(e.id, e)
  }
  const { order, children, pending } = placeEntries(valid)

  // Authority of admins depends only on root entries, so it is fixed before the walk.
  const appointments = new Map<string, Appointment[]>()
  const revocations = new Map<string, Set<string>[]>()
  const parentsOf = (id: string) => valid.get(id)!.parentIds
  const childrenOf = (id: string) => children.get(id) ?? []
  for (const e of order) {
    if (e.body.type === 'appoint-admin') {
      const key = toHex(e.body.certificate.adminKey)
      const list = appointments.get(key) ?? []
      list.push({
        notBefore: e.body.certificate.notBefore,
        notAfter: e.body.certificate.notAfter,
        descendants: closure(e.id, childrenOf),
      })
      appointments.set(key, list)
    } else if (e.body.type === 'revoke-admin') {
      const key = toHex(e.body.adminKey)
      const list = revocations.get(key) ?? []
      list.push(closure(e.id, parentsOf))
      revocations.set(key, list)
    }
  }
  const adminAuthority = (e: LogEntry): string | null => {
    const key = toHex(e.author)
    const apps = appointments.get(key)
    if (!apps) return 'author is not an admin'
    const inPast = apps.filter((a) => a.descendants.has(e.id))
    if (inPast.length === 0) return "admin not yet appointed in the entry's causal past"
    if (!inPast.some((a) => a.notBefore <= e.timestamp && e.timestamp <= a.notAfter)) {
      return "outside the admin certificate's validity"
    }
    for (const past of revocations.get(key) ?? []) {
      if (!past.has(e.id)) return 'void: admin revoked before or concurrently'
    }
    return null
  }

  const devices = new Map<string, DeviceRecord>()
  const deviceByKey = new Map<string, string>()
  const ranges = new ClientIdRanges()
  const certificates = new Map<string, string>()
  const revokedDevices = new Set<string>()
  const revokedUsers = new Set<string>()
  const wipedDevices = new Set<string>()
  const admins = new Map<string, AdminRecord>()
  const revokedAdmins = new Set(revocations.keys())
  const policies = new Map<string, PolicyRecord>()
  const channels = new Map<string, ChannelRecord>()
  const applied: LogEntry[] = []
  const prekeyEntries: LogEntry[] = []

  const apply = (e: LogEntry, byRoot: boolean): string | null => {
    const b = e.body
    switch (b.type) {
      case 'appoint-admin': {
        const key = toHex(b.certificate.adminKey)
        admins.set(key, {
          adminKey: b.certificate.adminKey,
          name: b.certificate.name,
          certificate: b.certificate,
          appointedBy: e.id,
          revoked: revokedAdmins.has(key),
        })
        return null
      }
      case 'revoke-admin':
        return null // already in revokedAdmins (rule 5)
      case 'issue-device': {
        const c = b.certificate
        const id = toHex(c.deviceId)
        const key = toHex(c.signingPublicKey)
        if (devices.has(id)) return 'device id already issued'
        if (deviceByKey.has(key)) return 'signing key already belongs to another device'
        if (c.roles.has('admin') && !byRoot) return 'only the root grants the admin role'
        if (!ranges.add(c.clientIdRange)) return 'client id range overlaps another device'
        devices.set(id, {
          orgId: c.orgId,
          userId: c.userId,
          deviceId: c.deviceId,
          displayName: c.displayName,
          signingPublicKey: c.signingPublicKey,
          identityDhPublicKey: c.identityDhPublicKey,
          roles: c.roles,
          notBefore: c.notBefore,
          notAfter: c.notAfter,
          clientIdRange: c.clientIdRange,
          certificate: c,
          issuer: c.issuer,
          issuedBy: e.id,
        })
        deviceByKey.set(key, id)
        certificates.set(toHex(c.hash), id)
        return null
      }
      case 'renew-device': {
        const c = b.certificate
        const id = toHex(c.deviceId)
        const d = devices.get(id)
        if (!d) return 'renewal of an unknown device'
        const old = d.certificate
        if (
          c.userId !== d.userId || toHex(c.signingPublicKey) !== toHex(d.signingPublicKey) ||
          toHex(c.identityDhPublicKey) !== toHex(d.identityDhPublicKey) ||
          c.clientIdRange.start !== d.clientIdRange.start ||
          c.clientIdRange.end !== d.clientIdRange.end || !sameRoles(c.roles, d.roles)
        ) return 'a renewal may change only the validity window and display name'
        certificates.set(toHex(c.hash), id)
        if (c.notAfter > old.notAfter) {
          devices.set(id, {
            ...d,
            displayName: c.displayName,
            notBefore: c.notBefore,
            notAfter: c.notAfter,
            certificate: c,
          })
        }
        return null
      }
      case 'revoke-device':
        revokedDevices.add(toHex(b.deviceId))
        return null
      case 'wipe-device':
        revokedDevices.add(toHex(b.deviceId))
        wipedDevices.add(toHex(b.deviceId))
        return null
      case 'revoke-user':
        revokedUsers.add(b.userId)
        return null
      case 'set-roles': {
        const id = toHex(b.deviceId)
        const d = devices.get(id)
        if (!d) return 'role change for an unknown device'
        if (b.roles.has('admin') !== d.roles.has('admin') && !byRoot) {
          return 'only the root grants or removes the admin role'
        }
        devices.set(id, { ...d, roles: b.roles })
        return null
      }
      case 'set-policy':
        policies.set(b.key, { value: b.value, setBy: e.id })
        return null
      case 'create-channel': {
        const id = toHex(b.channelId)
        if (channels.has(id)) return 'channel id already exists'
        channels.set(id, {
          channelId: b.channelId,
          name: b.name,
          broadcast: b.broadcast,
          archived: b.archived,
          retired: false,
          createdBy: e.id,
        })
        return null
      }
      case 'archive-channel': {
        const id = toHex(b.channelId)
        const ch = channels.get(id)
        if (!ch) return 'archive of an unknown channel'
        channels.set(id, { ...ch, retired: true })
        return null
      }
      case 'publish-prekey':
        prekeyEntries.push(e) // needs the final device set: second pass below
        return null
    }
  }

  for (const e of order) {
    const byRoot = toHex(e.author) === rootHex
    const why = byRoot || e.type === 'publish-prekey' ? null : adminAuthority(e)
    const result = why ?? apply(e, byRoot)
    if (result) reject(e, result)
    else if (e.type !== 'publish-prekey') applied.push(e)
  }

  for (const [id, d] of devices) if (revokedUsers.has(d.userId)) revokedDevices.add(id)

  // Prekeys are signed by the device itself: valid while that device is active (rule 5).
  const prekeys = new Map<string, PrekeyRecord>()
  for (const e of prekeyEntries) {
    if (e.body.type !== 'publish-prekey') continue
    const id = deviceByKey.get(toHex(e.author))
    if (id === undefined) reject(e, 'author is not a device of this org')
    else if (revokedDevices.has(id)) reject(e, 'device is revoked')
    else {
      prekeys.set(id, {
        prekeyId: e.body.prekeyId,
        prekey: e.body.prekey,
        publishedAt: e.timestamp,
        entryId: e.id,
      })
      applied.push(e)
    }
  }

  const appliedIds = new Set(applied.map((e) => e.id))
  const named = new Set<string>()
  for (const e of applied) for (const p of e.parentIds) named.add(p)
  const heads = applied.filter((e) => !named.has(e.id)).map((e) => e.hash)
    .sort((a, b) => (toHex(a) < toHex(b) ? -1 : 1))
  const log = order.filter((e) => appliedIds.has(e.id))
  rejected.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  return {
    anchor,
    heads,
    devices,
    revokedDevices,
    revokedUsers,
    wipedDevices,
    admins,
    revokedAdmins,
    policies,
    channels,
    prekeys,
    certificates,
    log,
    rejected,
    pending,
  }
}
