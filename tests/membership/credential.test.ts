// Stories about device credentials: a chain of signatures ending at the org root, checked
// against the org log at a given time (DESIGN §4).

import {
  createAdminCertificate,
  createDeviceCertificate,
  DAY_MS,
  decodeCredential,
  encodeCredential,
  signAdmission,
  verifyAdmission,
  verifyCredential,
} from '../../crypto/membership/index.ts'
import { assert, assertEquals, assertThrowsCode } from './support/assert.ts'
import { TestOrg } from './support/org-fixture.ts'

Deno.test('an admin issues a device; every receiver accepts its credential and admission', () => {
  const org = new TestOrg(1)
  const alice = org.appointAdmin('alice')
  const bob = org.issue(alice, 'bob', { roles: ['member', 'publisher'] })
  const state = org.state()
  const id = verifyCredential(org.anchor, state, bob.credentialBytes, org.now + DAY_MS)
  assertEquals(id.userId, 'bob')
  assertEquals(id.displayName, 'BOB')
  assertEquals([...id.roles].sort(), ['member', 'publisher'])
  assertEquals(id.notAfter - id.notBefore, 30 * DAY_MS, 'default validity is 30 days')
  assert(id.clientIdRange.end > id.clientIdRange.start)

  const challenge = org.random(32)
  const signature = signAdmission(bob.device.signing.secretKey, org.anchor.orgId, challenge)
  const admitted = verifyAdmission(
    org.anchor,
    state,
    bob.credentialBytes,
    challenge,
    signature,
    org.now,
  )
  assertEquals(admitted.deviceId, bob.device.deviceId)
  // The same answer to another challenge is refused: no replay across challenges.
  assertThrowsCode(
    () =>
      verifyAdmission(org.anchor, state, bob.credentialBytes, org.random(32), signature, org.now),
    'crypto/bad-signature',
  )
})

Deno.test('the root may issue a device directly, with an empty chain', () => {
  const org = new TestOrg(2)
  const carol = org.issue(org.rootIssuer, 'carol')
  assertEquals(decodeCredential(carol.credentialBytes).chain.length, 0)
  assertEquals(
    verifyCredential(org.anchor, org.state(), carol.credentialBytes, org.now).userId,
    'carol',
  )
})

Deno.test('expired and not-yet-valid certificates are refused', () => {
  const org = new TestOrg(3)
  const alice = org.appointAdmin('alice', 365)
  const dave = org.issue(alice, 'dave', { validityMs: 2 * DAY_MS })
  const state = org.state()
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, dave.credentialBytes, org.now - 1),
    'membership/not-yet-valid',
  )
  verifyCredential(org.anchor, state, dave.credentialBytes, org.now + 2 * DAY_MS)
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, dave.credentialBytes, org.now + 2 * DAY_MS + 1),
    'membership/expired',
  )
  // An expired admin certificate expires the chain, however fresh the device certificate.
  const long = org.issue(alice, 'dave', { validityMs: 500 * DAY_MS })
  const later = org.state()
  verifyCredential(org.anchor, later, long.credentialBytes, org.now + 300 * DAY_MS)
  assertThrowsCode(
    () => verifyCredential(org.anchor, later, long.credentialBytes, org.now + 400 * DAY_MS),
    'membership/expired',
  )
})

Deno.test('a certificate from another org is refused as foreign', () => {
  const ours = new TestOrg(4)
  const theirs = new TestOrg(5)
  const mallory = theirs.issue(theirs.rootIssuer, 'mallory')
  assertThrowsCode(
    () => verifyCredential(ours.anchor, ours.state(), mallory.credentialBytes, ours.now),
    'membership/foreign-org',
  )
  // Same org id but another root key (a forged org): the chain does not end at our root.
  const forged = new TestOrg(4)
  assert(forged.anchor.orgId.every((b, i) => b === ours.anchor.orgId[i]))
  const eve = forged.issue(forged.rootIssuer, 'eve')
  assertThrowsCode(
    () => verifyCredential(ours.anchor, ours.state(), eve.credentialBytes, ours.now),
    'membership/untrusted',
  )
})

Deno.test('a device key presented where a certificate key is expected is refused', () => {
  const org = new TestOrg(6)
  const alice = org.appointAdmin('alice')
  const bob = org.issue(alice, 'bob')
  const victim = org.newDevice()
  // Bob (a member) signs a device certificate with his device key and offers his own
  // credential's pieces as the chain.
  const fake = createDeviceCertificate(bob.device.signing.secretKey, {
    ...bob.certificate,
    issuer: bob.device.signing.publicKey,
    userId: 'intruder',
    deviceId: victim.deviceId,
    signingPublicKey: victim.signing.publicKey,
  })
  const state = org.state()
  const noChain = encodeCredential({ device: fake, chain: [] })
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, noChain, org.now),
    'membership/untrusted',
  )
  const adminChain = encodeCredential({ device: fake, chain: [alice.certificate] })
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, adminChain, org.now),
    'membership/untrusted',
  )
  // A device certificate's bytes in the admin-certificate slot fail to parse as one.
  const bytes = encodeCredential({ device: fake, chain: [] })
  const smuggled = new Uint8Array([
    ...bytes.subarray(0, bytes.length - 1),
    1,
    ...encodeVarBytes(bob.certificate.bytes),
  ])
  assertThrowsCode(() => verifyCredential(org.anchor, state, smuggled, org.now), 'codec/bad-type')
  // Bob's device key claiming an admin certificate it was never given: the root never signed it.
  const selfMade = createAdminCertificate(bob.device.signing.secretKey, {
    orgId: org.anchor.orgId,
    adminKey: bob.device.signing.publicKey,
    name: 'bob',
    roles: new Set(['admin']),
    notBefore: org.now - 1,
    notAfter: org.now + DAY_MS,
  })
  const selfChain = encodeCredential({ device: fake, chain: [selfMade] })
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, selfChain, org.now),
    'crypto/bad-signature',
  )
})

Deno.test('a credential signed correctly but never logged is untrusted; a tampered one is bad', () => {
  const org = new TestOrg(7)
  const alice = org.appointAdmin('alice')
  const before = org.log.slice()
  const erin = org.issue(alice, 'erin')
  assertThrowsCode(
    () => verifyCredential(org.anchor, org.state(before), erin.credentialBytes, org.now),
    'membership/untrusted',
  )
  const tampered = erin.credentialBytes.slice()
  tampered[tampered.length - 5] ^= 1 // inside the admin certificate's signature
  assertThrowsCode(
    () => verifyCredential(org.anchor, org.state(), tampered, org.now),
    'crypto/bad-signature',
  )
})

Deno.test('revoking a device, its user, or wiping it refuses the credential at once', () => {
  const org = new TestOrg(8)
  const alice = org.appointAdmin('alice')
  const frank = org.issue(alice, 'frank')
  const frank2 = org.issue(alice, 'frank')
  const gina = org.issue(alice, 'gina')
  org.append(alice.secretKey, {
    type: 'revoke-device',
    deviceId: frank.device.deviceId,
    reason: 'lost',
  })
  let state = org.state()
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, frank.credentialBytes, org.now),
    'membership/revoked',
  )
  verifyCredential(org.anchor, state, frank2.credentialBytes, org.now)
  org.append(alice.secretKey, { type: 'revoke-user', userId: 'frank', reason: 'left' })
  org.append(alice.secretKey, {
    type: 'wipe-device',
    deviceId: gina.device.deviceId,
    reason: 'stolen',
  })
  state = org.state()
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, frank2.credentialBytes, org.now),
    'membership/revoked',
  )
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, gina.credentialBytes, org.now),
    'membership/revoked',
  )
  assert(
    state.wipedDevices.has(
      [...gina.device.deviceId].map((b) => b.toString(16).padStart(2, '0')).join(''),
    ),
  )
})

function encodeVarBytes(bytes: Uint8Array): number[] {
  const out: number[] = []
  let n = bytes.length
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f))
    n >>>= 7
  }
  out.push(n)
  return [...out, ...bytes]
}
