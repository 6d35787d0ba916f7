// One org-log entry as an auditor reads it: who (user, device), what, when, on what, from which
// admin, hash and signature. The JSONL export writes one of these per line.

import { toHex } from '../../crypto/codec/bytes.ts'
import type { LogEntry, OrgState } from '../../crypto/membership/index.ts'

export interface AuditRecord {
  seq: number
  id: string
  time: string
  timestamp: number
  action: string
  /** The subject: the user and device the action is about (or the author device for prekeys). */
  user: string | null
  device: string | null
  /** What the action is on, beyond user/device: admin key, channel, policy key. */
  target: string | null
  details: Record<string, unknown>
  /** Who signed it: the root or an admin (by key and name), or a device for its own prekey. */
  by: { role: 'root' | 'admin' | 'device'; key: string; name: string | null }
  heads: string[]
  hash: string
  signature: string
}

export function auditRecord(state: OrgState, e: LogEntry, seq: number): AuditRecord {
  const author = toHex(e.author)
  const deviceUser = (idHex: string) => state.devices.get(idHex)?.userId ?? null
  let by: AuditRecord['by']
  if (author === toHex(state.anchor.rootPublicKey)) by = { role: 'root', key: author, name: null }
  else if (state.admins.has(author)) {
    by = { role: 'admin', key: author, name: state.admins.get(author)!.name }
  } else {
    const d = [...state.devices.values()].find((x) => toHex(x.signingPublicKey) === author)
    by = { role: 'device', key: author, name: d ? d.userId : null }
  }
  let user: string | null = null
  let device: string | null = null
  let target: string | null = null
  let details: Record<string, unknown> = {}
  const b = e.body
  switch (b.type) {
    case 'appoint-admin':
      target = toHex(b.certificate.adminKey)
      details = {
        name: b.certificate.name,
        notBefore: new Date(b.certificate.notBefore).toISOString(),
        notAfter: new Date(b.certificate.notAfter).toISOString(),
      }
      break
    case 'revoke-admin':
      target = toHex(b.adminKey)
      details = { reason: b.reason }
      break
    case 'issue-device':
    case 'renew-device': {
      const c = b.certificate
      user = c.userId
      device = toHex(c.deviceId)
      details = {
        displayName: c.displayName,
        roles: [...c.roles],
        notBefore: new Date(c.notBefore).toISOString(),
        notAfter: new Date(c.notAfter).toISOString(),
        clientIdRange: [c.clientIdRange.start, c.clientIdRange.end],
        certificate: toHex(c.hash),
      }
      break
    }
    case 'revoke-device':
    case 'wipe-device':
      device = toHex(b.deviceId)
      user = deviceUser(device)
      details = { reason: b.reason }
      break
    case 'revoke-user':
      user = b.userId
      details = { reason: b.reason }
      break
    case 'set-roles':
      device = toHex(b.deviceId)
      user = deviceUser(device)
      details = { roles: [...b.roles] }
      break
    case 'set-policy':
      target = b.key
      details = { value: b.value }
      break
    case 'create-channel':
      target = toHex(b.channelId)
      details = { name: b.name, broadcast: b.broadcast, archived: b.archived }
      if (b.private) details = { ...details, private: true, members: [...(b.members ?? [])] }
      break
    case 'channel-members':
      target = toHex(b.channelId)
      details = {
        name: state.channels.get(target)?.name ?? null,
        add: [...b.add],
        remove: [...b.remove],
      }
      break
    case 'archive-channel':
      target = toHex(b.channelId)
      break
    case 'publish-prekey':
    case 'publish-prekey-v1': {
      const d = [...state.devices.values()].find((x) => toHex(x.signingPublicKey) === author)
      device = d ? toHex(d.deviceId) : null
      user = d?.userId ?? null
      details = { prekeyId: b.prekeyId }
      break
    }
  }
  return {
    seq,
    id: e.id,
    time: new Date(e.timestamp).toISOString(),
    timestamp: e.timestamp,
    action: e.type,
    user,
    device,
    target,
    details,
    by,
    heads: e.parentIds,
    hash: e.id,
    signature: toHex(e.signature),
  }
}
