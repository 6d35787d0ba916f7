// Invitations: a link carrying org id, root public key, signaling URL(s) and a one-time secret
// with its limits, `${signalingUrl}/#/join/${base64url(invite)}` (docs/protocol/membership.md §10).

import { base64url, fromBase64url } from '../codec/bytes.ts'
import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import type { RandomSource } from '../primitives/random.ts'
import { ORG_ID_LENGTH, type OrgAnchor, PUBLIC_KEY_LENGTH } from './org-anchor.ts'

export const INVITE_VERSION = 1
export const INVITE_ID_LENGTH = 16
export const INVITE_SECRET_LENGTH = 32
export const MAX_INVITE_URLS = 4
export const MAX_URL_BYTES = 512
export const MAX_INVITE_USES = 10_000
export const INVITE_LINK_MARKER = '#/join/'

export interface Invite {
  anchor: OrgAnchor
  signalingUrls: string[]
  /** Public name of the invite, so the approving admin finds its secret. */
  inviteId: Uint8Array
  /** Proves possession of the link; never leaves the invitee's device except as a MAC key. */
  secret: Uint8Array
  maxUses: number
  expiresAt: number
}

export function createInvite(
  anchor: OrgAnchor,
  signalingUrls: string[],
  options: { maxUses: number; expiresAt: number },
  random: RandomSource,
): Invite {
  return {
    anchor,
    signalingUrls,
    inviteId: random(INVITE_ID_LENGTH),
    secret: random(INVITE_SECRET_LENGTH),
    maxUses: options.maxUses,
    expiresAt: options.expiresAt,
  }
}

export function encodeInvite(invite: Invite): Uint8Array {
  const urls = invite.signalingUrls
  if (urls.length < 1 || urls.length > MAX_INVITE_URLS) throw new RangeError('1..4 signaling URLs')
  if (invite.maxUses < 1 || invite.maxUses > MAX_INVITE_USES) throw new RangeError('max uses')
  const w = new Writer(256).u8(INVITE_VERSION)
    .fixed(invite.anchor.orgId, ORG_ID_LENGTH, 'orgId')
    .fixed(invite.anchor.rootPublicKey, PUBLIC_KEY_LENGTH, 'rootPublicKey')
    .u8(urls.length)
  for (const u of urls) w.string(u)
  return w.fixed(invite.inviteId, INVITE_ID_LENGTH, 'inviteId')
    .fixed(invite.secret, INVITE_SECRET_LENGTH, 'secret')
    .varuint(invite.maxUses)
    .u64(invite.expiresAt)
    .finish()
}

export function decodeInvite(bytes: Uint8Array): Invite {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  if (r.u8() !== INVITE_VERSION) fail('codec/bad-version', 'unknown invite version')
  const orgId = r.fixed(ORG_ID_LENGTH)
  const rootPublicKey = r.fixed(PUBLIC_KEY_LENGTH)
  const n = r.u8()
  if (n < 1 || n > MAX_INVITE_URLS) fail('codec/bad-value', 'invite needs 1..4 signaling URLs')
  const signalingUrls: string[] = []
  for (let i = 0; i < n; i++) {
    const url = r.string(MAX_URL_BYTES)
    if (!/^(https?|wss?):\/\/[^\s#]+$/.test(url)) fail('codec/bad-value', 'bad signaling URL')
    signalingUrls.push(url)
  }
  const inviteId = r.fixed(INVITE_ID_LENGTH)
  const secret = r.fixed(INVITE_SECRET_LENGTH)
  const maxUses = r.varuint(MAX_INVITE_USES)
  if (maxUses < 1) fail('codec/bad-value', 'invite max uses must be at least 1')
  const expiresAt = r.u64()
  r.end()
  return { anchor: { orgId, rootPublicKey }, signalingUrls, inviteId, secret, maxUses, expiresAt }
}

/** `${baseUrl}/#/join/${base64url(invite)}`; the fragment never reaches a server. */
export function formatInviteLink(baseUrl: string, invite: Invite): string {
  return `${baseUrl.replace(/\/+$/, '')}/${INVITE_LINK_MARKER}${base64url(encodeInvite(invite))}`
}

/** Accepts a whole link or just the part after `#/join/`. */
export function parseInviteLink(link: string): Invite {
  if (typeof link !== 'string') fail('codec/bad-value', 'invite link must be text')
  const text = link.trim()
  const at = text.indexOf(INVITE_LINK_MARKER)
  const payload = at >= 0 ? text.slice(at + INVITE_LINK_MARKER.length) : text
  let bytes: Uint8Array
  try {
    bytes = fromBase64url(payload)
  } catch {
    return fail('codec/bad-value', 'invite link is not base64url')
  }
  return decodeInvite(bytes)
}
