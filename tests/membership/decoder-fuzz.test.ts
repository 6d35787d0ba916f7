// Every membership decoder distrusts its input: random and mutated bytes are refused with a
// typed ConchError, never an untyped throw, and valid encodings round-trip exactly.

import { isConchError } from '../../crypto/errors/conch-error.ts'
import {
  createCertificateRequest,
  createInvite,
  decodeAdminCertificate,
  decodeCertificateRequest,
  decodeCredential,
  decodeDeviceCertificate,
  decodeInvite,
  decodeLogBundle,
  decodeLogEntry,
  encodeInvite,
  encodeLogBundle,
  formatInviteLink,
  parseInviteLink,
  parseOrgAnchor,
  publishPrekeyBody,
  reduceOrgLog,
  signAdmission,
  signPrekey,
  verifyAdmission,
  verifyCredential,
} from '../../crypto/membership/index.ts'
import { assert, assertEquals } from './support/assert.ts'
import { seededRandom, TestOrg } from './support/org-fixture.ts'

const org = new TestOrg(31)
const alice = org.appointAdmin('alice')
const bob = org.issue(alice, 'bob')
org.append(alice.secretKey, { type: 'set-policy', key: 'k', value: 'v' })
const channelId = org.random(16)
const privateChannel = org.append(alice.secretKey, {
  type: 'create-channel',
  channelId,
  name: 'board',
  broadcast: false,
  archived: false,
  private: true,
  members: ['bob', 'zoe'],
})
const membersChange = org.append(alice.secretKey, {
  type: 'channel-members',
  channelId,
  add: ['carol'],
  remove: ['zoe'],
})
const prekey = org.random(32)
const prekeyEntry = org.append(
  bob.device.signing.secretKey,
  publishPrekeyBody(
    3,
    prekey,
    signPrekey(bob.device.signing.secretKey, bob.device.dh.publicKey, 3, prekey),
  ),
)
const invite = createInvite(org.anchor, ['https://signal.example.org'], {
  maxUses: 3,
  expiresAt: org.now + 1000,
}, org.random)
const request = createCertificateRequest(
  {
    orgId: org.anchor.orgId,
    inviteId: invite.inviteId,
    userId: 'zoe',
    displayName: 'Zoë',
    deviceId: org.random(16),
    identityDhPublicKey: org.random(32),
    createdAt: org.now,
  },
  invite.secret,
  org.random(32),
)
const state = org.state()
const challenge = org.random(32)
const answer = signAdmission(bob.device.signing.secretKey, org.anchor.orgId, challenge)

const DECODERS: [string, (b: Uint8Array) => unknown, Uint8Array][] = [
  ['log entry', decodeLogEntry, org.log[2].bytes],
  ['private channel entry', decodeLogEntry, privateChannel.bytes],
  ['channel-members entry', decodeLogEntry, membersChange.bytes],
  ['signed prekey entry', decodeLogEntry, prekeyEntry.bytes],
  ['log bundle', decodeLogBundle, encodeLogBundle(org.log)],
  ['credential', decodeCredential, bob.credentialBytes],
  [
    'credential verification',
    (b) => verifyCredential(org.anchor, state, b, org.now),
    bob.credentialBytes,
  ],
  [
    'admission',
    (b) => verifyAdmission(org.anchor, state, b, challenge, answer, org.now),
    bob.credentialBytes,
  ],
  ['admin certificate', decodeAdminCertificate, alice.certificate.bytes],
  ['device certificate', decodeDeviceCertificate, bob.certificate.bytes],
  ['invite', decodeInvite, encodeInvite(invite)],
  ['certificate request', decodeCertificateRequest, request.bytes],
  [
    'reduce after decode',
    (b) => reduceOrgLog(org.anchor, decodeLogBundle(b)),
    encodeLogBundle(org.log),
  ],
]

function mutate(valid: Uint8Array, random: (n: number) => Uint8Array): Uint8Array {
  const r = random(4)
  const at = ((r[1] << 8) | r[2]) % Math.max(1, valid.length)
  switch (r[0] % 6) {
    case 0: { // flip one bit
      const out = valid.slice()
      out[at] ^= 1 << (r[3] % 8)
      return out
    }
    case 1: // truncate
      return valid.slice(0, at)
    case 2: // append garbage
      return new Uint8Array([...valid, ...random(1 + (r[3] % 8))])
    case 3: { // overwrite a byte with an extreme value
      const out = valid.slice()
      out[at] = r[3] % 2 ? 0xff : 0x00
      return out
    }
    case 4: // insert a byte
      return new Uint8Array([...valid.slice(0, at), r[3], ...valid.slice(at)])
    default: // pure noise of a plausible length
      return random(at + 1)
  }
}

for (const [name, decode, valid] of DECODERS) {
  Deno.test(`fuzz: ${name} rejects random and mutated input with typed errors only`, () => {
    const random = seededRandom(name.length * 7919)
    decode(valid) // the unmutated input is accepted
    let refused = 0
    for (let i = 0; i < 400; i++) {
      const input = i < 50 ? random(i) : mutate(valid, random)
      try {
        decode(input)
      } catch (e) {
        if (!isConchError(e)) throw new Error(`${name}: untyped ${String(e)} on input ${i}`)
        refused++
      }
    }
    assert(refused > 100, `${name}: mutations should mostly be refused (${refused})`)
  })
}

Deno.test('fuzz: reducing decodable mutated entries never throws', () => {
  const random = seededRandom(99)
  const entries = []
  for (let i = 0; i < 300; i++) {
    try {
      entries.push(decodeLogEntry(mutate(org.log[i % org.log.length].bytes, random)))
    } catch (e) {
      if (!isConchError(e)) throw e
    }
  }
  const result = reduceOrgLog(org.anchor, [...org.log, ...entries])
  assertEquals(result.log.length, org.log.length, 'no mutant applies')
})

Deno.test('round trips: decode(encode(x)) is x for links, anchors and bundles', () => {
  const link = formatInviteLink('https://signal.example.org/', invite)
  assert(link.startsWith('https://signal.example.org/#/join/'))
  assertEquals(encodeInvite(parseInviteLink(link)), encodeInvite(invite))
  const text = `${[...'AAAAAAAAAAAAAAAAAAAAAA'].join('')}.${'A'.repeat(43)}`
  assertEquals(parseOrgAnchor(text).orgId.length, 16)
  for (
    const bad of ['', '.', 'a.b', text + 'A', text.replace('.', '..'), text.slice(0, -1) + 'B']
  ) {
    try {
      parseOrgAnchor(bad)
      throw new Error(`accepted ${bad}`)
    } catch (e) {
      if (!isConchError(e, 'codec/bad-value')) throw e
    }
  }
  assertEquals(decodeLogBundle(encodeLogBundle(org.log)).map((e) => e.id), org.log.map((e) => e.id))
})
