// Parses the URL fragment. The fragment never reaches a server, so secrets may travel in it.
//   #/join/<base64url invite>                                (docs/protocol/membership.md)
//   #/channel/<name>/<base64url 32-byte channel secret>      (joins a link channel)
//   #/c/<channel key>  #/members  #/members/<device hex>  #/search  #/settings

import { fromBase64url } from '../../crypto/codec/bytes.ts'
import { decodeInvite, type Invite } from '../../crypto/membership/invitation.ts'
import type { StringKey } from './i18n/strings-en.ts'

export type Route =
  | { kind: 'join'; invite: Invite }
  | { kind: 'channel'; name: string; secret: Uint8Array }
  | { kind: 'home' }
  | { kind: 'open'; key: string }
  | { kind: 'members' }
  | { kind: 'member'; device: string }
  | { kind: 'search' }
  | { kind: 'settings' }
  | { kind: 'invalid'; reason: StringKey }

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/')
  if (parts.length === 1 && parts[0] === '') return { kind: 'home' }
  if (parts[0] === 'join') {
    try {
      if (parts.length !== 2) throw new Error('shape')
      return { kind: 'join', invite: decodeInvite(fromBase64url(parts[1])) }
    } catch {
      return {
        kind: 'invalid',
        reason: 'linkInviteDamaged',
      }
    }
  }
  if (parts[0] === 'c' && parts.length === 2 && /^[\w:.-]{1,120}$/.test(parts[1])) {
    return { kind: 'open', key: parts[1] }
  }
  if (parts[0] === 'members' && parts.length === 1) return { kind: 'members' }
  if (parts[0] === 'members' && parts.length === 2 && /^[0-9a-f]{32}$/.test(parts[1])) {
    return { kind: 'member', device: parts[1] }
  }
  if (parts[0] === 'search' && parts.length === 1) return { kind: 'search' }
  if (parts[0] === 'settings' && parts.length === 1) return { kind: 'settings' }
  if (parts[0] !== 'channel' || parts.length !== 3) {
    return { kind: 'invalid', reason: 'linkNotConch' }
  }
  let name: string
  try {
    name = decodeURIComponent(parts[1])
  } catch {
    return { kind: 'invalid', reason: 'linkChannelNameDamaged' }
  }
  if (!name || name.length > 80) {
    return { kind: 'invalid', reason: 'linkChannelNameDamaged' }
  }
  let secret: Uint8Array
  try {
    secret = fromBase64url(parts[2])
  } catch {
    secret = new Uint8Array(0)
  }
  if (secret.length !== 32) {
    return {
      kind: 'invalid',
      reason: 'linkChannelKeyDamaged',
    }
  }
  return { kind: 'channel', name, secret }
}
