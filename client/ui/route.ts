// Parses the URL fragment. The fragment never reaches a server, so secrets may travel in it.
//   #/join/<base64url invite>                                (docs/protocol/membership.md)
//   #/channel/<name>/<base64url 32-byte channel secret>

import { fromBase64url } from '../../crypto/codec/bytes.ts'
import { decodeInvite, type Invite } from '../../crypto/membership/invitation.ts'

export type Route =
  | { kind: 'join'; invite: Invite }
  | { kind: 'channel'; name: string; secret: Uint8Array }
  | { kind: 'home' }
  | { kind: 'invalid'; reason: string }

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
        reason: 'This invite link is damaged. Ask your administrator for a new one.',
      }
    }
  }
  if (parts[0] !== 'channel' || parts.length !== 3) {
    return { kind: 'invalid', reason: 'This link is not a Conch channel link.' }
  }
  let name: string
  try {
    name = decodeURIComponent(parts[1])
  } catch {
    return { kind: 'invalid', reason: 'The channel name in this link is damaged.' }
  }
  if (!name || name.length > 80) {
    return { kind: 'invalid', reason: 'The channel name in this link is damaged.' }
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
      reason: 'The channel key in this link is damaged. Ask for a new link.',
    }
  }
  return { kind: 'channel', name, secret }
}
