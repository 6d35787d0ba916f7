// Stories about joining: an invite link, a certificate request that proves the link's secret,
// and an admin's approval within the invite's limits.

import {
  approveCertificateRequest,
  createCertificateRequest,
  createInvite,
  formatInviteLink,
  type InviteRecord,
  parseInviteLink,
  verifyCredential,
} from '../../crypto/membership/index.ts'
import { assertEquals, assertThrowsCode } from './support/assert.ts'
import { TestOrg } from './support/org-fixture.ts'

function join(org: TestOrg, link: string, userId: string, secretOverride?: Uint8Array) {
  const invite = parseInviteLink(link)
  const device = org.newDevice()
  const request = createCertificateRequest(
    {
      orgId: invite.anchor.orgId,
      inviteId: invite.inviteId,
      userId,
      displayName: userId.toUpperCase(),
      deviceId: device.deviceId,
      identityDhPublicKey: device.dh.publicKey,
      createdAt: org.now,
    },
    secretOverride ?? invite.secret,
    device.signing.secretKey,
  )
  return { invite, device, request }
}

Deno.test('a new device joins from an invite link and an admin approves it', () => {
  const org = new TestOrg(41)
  const alice = org.appointAdmin('alice')
  const invite = createInvite(org.anchor, ['https://conch.example'], {
    maxUses: 1,
    expiresAt: org.now + 3600_000,
  }, org.random)
  const link = formatInviteLink('https://conch.example', invite)
  const { request } = join(org, link, 'hana')
  let record: InviteRecord = { ...invite, uses: 0 }
  const approved = approveCertificateRequest(org.state(), alice, request, record, {
    now: org.now,
    random: org.random,
  })
  record = approved.invite
  org.log.push(approved.entry)
  assertEquals(
    verifyCredential(org.anchor, org.state(), approved.credentialBytes, org.now).userId,
    'hana',
  )
  // One-time: the second request on the same invite is refused.
  const second = join(org, link, 'ivan').request
  assertThrowsCode(
    () =>
      approveCertificateRequest(org.state(), alice, second, record, {
        now: org.now,
        random: org.random,
      }),
    'membership/forbidden',
  )
})

Deno.test('requests without the secret, after expiry, or for another org are refused', () => {
  const org = new TestOrg(42)
  const alice = org.appointAdmin('alice')
  const invite = createInvite(org.anchor, ['https://conch.example'], {
    maxUses: 5,
    expiresAt: org.now + 1000,
  }, org.random)
  const record: InviteRecord = { ...invite, uses: 0 }
  const link = formatInviteLink('https://conch.example', invite)
  const guess = join(org, link, 'mallory', org.random(32)).request
  assertThrowsCode(
    () =>
      approveCertificateRequest(org.state(), alice, guess, record, {
        now: org.now,
        random: org.random,
      }),
    'membership/untrusted',
  )
  const late = join(org, link, 'late').request
  assertThrowsCode(
    () =>
      approveCertificateRequest(org.state(), alice, late, record, {
        now: org.now + 1001,
        random: org.random,
      }),
    'membership/expired',
  )
  const other = new TestOrg(43)
  const foreignInvite = createInvite(other.anchor, ['https://x.example'], {
    maxUses: 1,
    expiresAt: org.now + 1000,
  }, org.random)
  const foreign = join(org, formatInviteLink('https://x.example', foreignInvite), 'f').request
  assertThrowsCode(
    () =>
      approveCertificateRequest(org.state(), alice, foreign, record, {
        now: org.now,
        random: org.random,
      }),
    'membership/foreign-org',
  )
  // A request whose device signature was made over other bytes is refused before anything else.
  const tampered = join(org, link, 'tamper').request
  tampered.bytes[20] ^= 1
  assertThrowsCode(
    () =>
      approveCertificateRequest(org.state(), alice, tampered, record, {
        now: org.now,
        random: org.random,
      }),
    'crypto/bad-signature',
  )
})
