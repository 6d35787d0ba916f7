// The mutable core of the reducer: applies authorised entries one at a time in the shared order.
// reduce-org-log.ts drives it over a whole log; org-log-replica.ts keeps one alive to apply a new
// entry in O(1) when it provably sorts last. Rules: docs/protocol/membership.md §9.

import { hex as toHex } from './hex.ts'
import { ClientIdRanges } from './client-id-ranges.ts'
import type { LogEntry } from './log-entry.ts'
import { PrivateChannelMembers } from './private-channel-members.ts'
import { prekeySignatureValid } from './prekey-directory.ts'
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
import { sameRoles } from './roles.ts'

export interface Appointment {
  notBefore: number
  notAfter: number
  /** One bit per appointment entry, in log order: set in the mask of every entry after it. */
  bit: bigint
}

type SharedField =
  | 'devices'
  | 'revokedDevices'
  | 'revokedUsers'
  | 'wipedDevices'
  | 'admins'
  | 'policies'
  | 'channels'
  | 'prekeys'
  | 'certificates'

export class OrgStateBuilder {
  readonly rootHex: string
  readonly appointments = new Map<string, Appointment[]>()
  /** Per entry id: the appointments in its causal past (inclusive), as a bit mask. */
  readonly pastAppointments = new Map<string, bigint>()
  /** Per revoked admin key: the causal past (ancestors, inclusive) of each root revocation. */
  readonly revocations = new Map<string, Set<string>[]>()
  readonly devices = new Map<string, DeviceRecord>()
  readonly deviceByKey = new Map<string, string>()
  readonly ranges = new ClientIdRanges()
  readonly certificates = new Map<string, string>()
  readonly revokedDevices = new Set<string>()
  readonly revokedUsers = new Set<string>()
  readonly wipedDevices = new Set<string>()
  readonly admins = new Map<string, AdminRecord>()
  readonly policies = new Map<string, PolicyRecord>()
  readonly channels = new Map<string, ChannelRecord>()
  /** Rule 7: private channels' live member sets, and the removals each entry had seen. */
  readonly privateMembers = new PrivateChannelMembers()
  readonly prekeys = new Map<string, PrekeyRecord>()
  /** Entries a verified root entry vouches for (rule 0): their prekey signatures are not
   * checked again. Empty on the replica's O(1) path (a new entry is in no root's past). */
  attested: ReadonlySet<string> = new Set()
  /** Issuances void by rule 5, decided on the whole set before the walk (id -> reason). */
  voidIssuances = new Map<string, string>()
  readonly log: LogEntry[] = []
  readonly rejected: RejectedEntry[] = []
  readonly headIds = new Set<string>()
  readonly headHashes = new Map<string, Uint8Array>()
  /** Collections changed since the last snapshot: only these are copied again. */
  private readonly dirty = new Set<SharedField>()
  private last: OrgState | undefined

  constructor(readonly anchor: OrgAnchor) {
    this.rootHex = toHex(anchor.rootPublicKey)
  }

  reject(e: LogEntry, reason: string): void {
    // Kept sorted by id so the state never depends on arrival order.
    let lo = 0
    let hi = this.rejected.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.rejected[mid].id < e.id) lo = mid + 1
      else hi = mid
    }
    this.rejected.splice(lo, 0, { id: e.id, type: e.type, reason })
  }

  /** Rule 4: why an admin-signed entry has no authority, or null. Root entries never get here. */
  adminAuthority(e: LogEntry): string | null {
    const key = e.authorId
    const apps = this.appointments.get(key)
    if (!apps) return 'author is not an admin'
    const mask = this.pastAppointments.get(e.id) ?? 0n
    const inPast = apps.filter((a) => (mask & a.bit) !== 0n)
    if (inPast.length === 0) return "admin not yet appointed in the entry's causal past"
    if (!inPast.some((a) => a.notBefore <= e.timestamp && e.timestamp <= a.notAfter)) {
      return "outside the admin certificate's validity"
    }
    for (const past of this.revocations.get(key) ?? []) {
      if (!past.has(e.id)) return 'void: admin revoked before or concurrently'
    }
    return null
  }

  /** Records which appointments are in `e`'s causal past (its parents' and its own). */
  trackAppointments(e: LogEntry, ownBit = 0n): void {
    let mask = ownBit
    for (const p of e.parentIds) mask |= this.pastAppointments.get(p) ?? 0n
    if (mask !== 0n) this.pastAppointments.set(e.id, mask)
  }

  /** Authorises and applies one entry (prekeys included); records it as applied or rejected. */
  step(e: LogEntry): boolean {
    this.privateMembers.inherit(e)
    const byRoot = e.authorId === this.rootHex
    const prekey = e.type === 'publish-prekey' || e.type === 'publish-prekey-v1'
    const why = byRoot || prekey ? null : this.adminAuthority(e)
    const result = why ?? (prekey ? this.applyPrekey(e) : this.apply(e, byRoot))
    if (result) {
      this.reject(e, result)
      return false
    }
    this.log.push(e)
    for (const p of e.parentIds) this.headIds.delete(p)
    this.headIds.add(e.id)
    this.headHashes.set(e.id, e.hash)
    return true
  }

  private revokeDevice(id: string): void {
    this.dirty.add('revokedDevices')
    this.revokedDevices.add(id)
    this.dirty.add('prekeys')
    this.prekeys.delete(id)
  }

  /**
   * Rule 6: prekeys are published by the device itself, carry an X3DH signature by its certified
   * identity, and their ids only grow; the directory lists active devices only. The old unsigned
   * layout is applied (descendants stay placeable) but never enters the directory.
   */
  applyPrekey(e: LogEntry): string | null {
    const b = e.body
    if (b.type !== 'publish-prekey' && b.type !== 'publish-prekey-v1') return 'not a prekey'
    const id = this.deviceByKey.get(e.authorId)
    if (id === undefined) return 'author is not a device of this org'
    if (b.type === 'publish-prekey-v1') return null
    if (!this.attested.has(e.id) && !prekeySignatureValid(e, this.devices.get(id)!)) {
      return 'bad signed-prekey signature'
    }
    const current = this.prekeys.get(id)
    if (current && b.prekeyId <= current.prekeyId) return 'stale prekey: ids must increase'
    if (!this.revokedDevices.has(id)) {
      this.dirty.add('prekeys')
      this.prekeys.set(id, {
        prekeyId: b.prekeyId,
        prekey: b.prekey,
        signature: b.signature,
        publishedAt: e.timestamp,
        entryId: e.id,
      })
    }
    return null
  }

  private apply(e: LogEntry, byRoot: boolean): string | null {
    const b = e.body
    switch (b.type) {
      case 'appoint-admin': {
        const key = toHex(b.certificate.adminKey)
        this.dirty.add('admins')
        this.admins.set(key, {
          adminKey: b.certificate.adminKey,
          name: b.certificate.name,
          certificate: b.certificate,
          appointedBy: e.id,
          revoked: this.revocations.has(key),
        })
        return null
      }
      case 'revoke-admin': {
        const admin = this.admins.get(toHex(b.adminKey))
        this.dirty.add('admins')
        if (admin) this.admins.set(toHex(b.adminKey), { ...admin, revoked: true })
        return null
      }
      case 'issue-device': {
        const c = b.certificate
        const id = toHex(c.deviceId)
        const key = toHex(c.signingPublicKey)
        const conflict = this.voidIssuances.get(e.id)
        if (conflict) return conflict
        if (this.devices.has(id)) return 'device id already issued'
        if (this.deviceByKey.has(key)) return 'signing key already belongs to another device'
        if (c.roles.has('admin') && !byRoot) return 'only the root grants the admin role'
        if (!this.ranges.add(c.clientIdRange)) return 'client id range overlaps another device'
        this.dirty.add('devices')
        this.devices.set(id, {
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
        this.deviceByKey.set(key, id)
        this.dirty.add('certificates')
        this.certificates.set(toHex(c.hash), id)
        if (this.revokedUsers.has(c.userId)) this.revokeDevice(id)
        return null
      }
      case 'renew-device': {
        const c = b.certificate
        const id = toHex(c.deviceId)
        const d = this.devices.get(id)
        if (!d) return 'renewal of an unknown device'
        if (
          c.userId !== d.userId || toHex(c.signingPublicKey) !== toHex(d.signingPublicKey) ||
          toHex(c.identityDhPublicKey) !== toHex(d.identityDhPublicKey) ||
          c.clientIdRange.start !== d.clientIdRange.start ||
          c.clientIdRange.end !== d.clientIdRange.end || !sameRoles(c.roles, d.roles)
        ) return 'a renewal may change only the validity window and display name'
        this.dirty.add('certificates')
        this.certificates.set(toHex(c.hash), id)
        if (c.notAfter > d.certificate.notAfter) {
          this.dirty.add('devices')
          this.devices.set(id, {
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
        this.revokeDevice(toHex(b.deviceId))
        return null
      case 'wipe-device':
        this.revokeDevice(toHex(b.deviceId))
        this.dirty.add('wipedDevices')
        this.wipedDevices.add(toHex(b.deviceId))
        return null
      case 'revoke-user':
        this.dirty.add('revokedUsers')
        this.revokedUsers.add(b.userId)
        for (const [id, d] of this.devices) if (d.userId === b.userId) this.revokeDevice(id)
        return null
      case 'set-roles': {
        const id = toHex(b.deviceId)
        const d = this.devices.get(id)
        if (!d) return 'role change for an unknown device'
        if (b.roles.has('admin') !== d.roles.has('admin') && !byRoot) {
          return 'only the root grants or removes the admin role'
        }
        this.dirty.add('devices')
        this.devices.set(id, { ...d, roles: b.roles })
        return null
      }
      case 'set-policy':
        this.dirty.add('policies')
        this.policies.set(b.key, { value: b.value, setBy: e.id })
        return null
      case 'create-channel': {
        const id = toHex(b.channelId)
        if (this.channels.has(id)) return 'channel id already exists'
        this.dirty.add('channels')
        this.channels.set(id, {
          channelId: b.channelId,
          name: b.name,
          broadcast: b.broadcast,
          archived: b.archived,
          retired: false,
          createdBy: e.id,
          private: b.private === true,
          members: new Set(b.private ? b.members : []),
        })
        if (b.private) this.privateMembers.created(id, b.members ?? [])
        return null
      }
      case 'archive-channel': {
        const id = toHex(b.channelId)
        const ch = this.channels.get(id)
        if (!ch) return 'archive of an unknown channel'
        this.dirty.add('channels')
        this.channels.set(id, { ...ch, retired: true })
        return null
      }
      case 'publish-prekey':
      case 'publish-prekey-v1':
        return this.applyPrekey(e)
      case 'channel-members':
        return this.applyChannelMembers(e, b)
    }
  }

  /** Rule 7: admins change a live private channel's members; a removal wins over a concurrent add. */
  private applyChannelMembers(
    e: LogEntry,
    b: Extract<LogEntry['body'], { type: 'channel-members' }>,
  ): string | null {
    const id = toHex(b.channelId)
    const ch = this.channels.get(id)
    if (!ch) return 'membership change for an unknown channel'
    if (!ch.private) return 'membership change for a public channel'
    if (ch.retired) return 'membership change for a retired channel'
    this.privateMembers.apply(e, id, b.add, b.remove) // the record is rewritten at snapshot
    return null
  }

  /**
   * An immutable snapshot. Collections unchanged since the previous snapshot are shared with it
   * (they are never mutated once handed out: a changed one is copied, and the copy handed out).
   */
  snapshot(pending: readonly string[]): OrgState {
    if (this.privateMembers.flush(this.channels)) this.dirty.add('channels')
    const last = this.last
    const pick = <T>(field: SharedField, live: T, copy: (x: T) => T, previous?: T): T =>
      previous !== undefined && !this.dirty.has(field) ? previous : copy(live)
    const map = <K, V>(m: ReadonlyMap<K, V>) => new Map(m)
    const set = <V>(x: ReadonlySet<V>) => new Set(x)
    const heads = [...this.headIds].sort().map((id) => this.headHashes.get(id)!)
    const state: OrgState = {
      anchor: this.anchor,
      heads,
      devices: pick('devices', this.devices, map, last?.devices),
      revokedDevices: pick('revokedDevices', this.revokedDevices, set, last?.revokedDevices),
      revokedUsers: pick('revokedUsers', this.revokedUsers, set, last?.revokedUsers),
      wipedDevices: pick('wipedDevices', this.wipedDevices, set, last?.wipedDevices),
      admins: pick('admins', this.admins, map, last?.admins),
      revokedAdmins: last?.revokedAdmins ?? new Set(this.revocations.keys()),
      policies: pick('policies', this.policies, map, last?.policies),
      channels: pick('channels', this.channels, map, last?.channels),
      prekeys: pick('prekeys', this.prekeys, map, last?.prekeys),
      certificates: pick('certificates', this.certificates, map, last?.certificates),
      log: this.log.slice(),
      rejected: this.rejected.slice(),
      pending: pending.slice(),
    }
    this.dirty.clear()
    this.last = state
    return state
  }
}
