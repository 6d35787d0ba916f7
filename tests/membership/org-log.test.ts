// Stories about the org log: who may change the org, what concurrent admins see, and what a
// tampering relay can (not) do. Every receiver reduces the same entries to the same state.

import {
  acceptEntries,
  assertNoRollback,
  createDeviceCertificate,
  createLogEntry,
  entriesNotBelow,
  LOG_ENTRY_CONTEXT,
  type LogEntry,
  preverifyLogSignatures,
  publishPrekeyBody,
  renewDevice,
  signPrekey,
  verifyCredential,
} from '../../crypto/membership/index.ts'
import { decodeLogEntry } from '../../crypto/membership/log-entry.ts'
import { ed25519 } from '@noble/curves/ed25519.js'
import { sign } from '../../crypto/primitives/ed25519.ts'
import { labelBytes } from '../../crypto/primitives/labels.ts'
import { defaultProvider } from '../../crypto/provider/default-provider.ts'
import { assert, assertEquals, assertThrowsCode, stateFingerprint } from './support/assert.ts'
import { hex, TestOrg } from './support/org-fixture.ts'

const reasonOf = (state: { rejected: readonly { id: string; reason: string }[] }, e: LogEntry) =>
  state.rejected.find((r) => r.id === e.id)?.reason

Deno.test('a member tries to add someone: every receiver rejects it', () => {
  const org = new TestOrg(11)
  const alice = org.appointAdmin('alice')
  const bob = org.issue(alice, 'bob')
  // Bob signs an issue entry with his device key, as if he were an admin.
  const bobIssuer = { secretKey: bob.device.signing.secretKey, chain: [] }
  const intruder = org.issue(bobIssuer, 'intruder')
  const state = org.state()
  assertEquals(reasonOf(state, intruder.entry), 'author is not an admin')
  assert(!state.devices.has(hex(intruder.device.deviceId)))
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, intruder.credentialBytes, org.now),
    'membership/untrusted',
  )
  // The signaling worker refuses it too, and says why.
  const known = org.log.filter((e) => e !== intruder.entry)
  assertThrowsCode(() => acceptEntries(org.anchor, known, [intruder.entry]), 'membership/bad-log')
  // An admin cannot appoint admins or grant the admin role either: only the root can.
  const grant = org.append(alice.secretKey, {
    type: 'set-roles',
    deviceId: bob.device.deviceId,
    roles: new Set(['member', 'admin']),
  })
  assertEquals(reasonOf(org.state(), grant), 'only the root grants or removes the admin role')
})

Deno.test("a revoked admin's later issuance is void; earlier ones stand", () => {
  const org = new TestOrg(12)
  const alice = org.appointAdmin('alice')
  const before = org.issue(alice, 'before')
  org.append(org.root.secretKey, {
    type: 'revoke-admin',
    adminKey: alice.keys.publicKey,
    reason: 'left',
  })
  const after = org.issue(alice, 'after')
  const state = org.state()
  assert(state.revokedAdmins.has(hex(alice.keys.publicKey)))
  assertEquals(reasonOf(state, after.entry), 'void: admin revoked before or concurrently')
  verifyCredential(org.anchor, state, before.credentialBytes, org.now)
  assertThrowsCode(
    () => verifyCredential(org.anchor, state, after.credentialBytes, org.now),
    'membership/untrusted',
  )
})

Deno.test('revoke and issue race concurrently: revocation wins everywhere', () => {
  const org = new TestOrg(13)
  const alice = org.appointAdmin('alice')
  const bob = org.appointAdmin('bob')
  const base = org.log.slice()
  // Partition: the root revokes Alice while Alice, not knowing, issues a device; Bob
  // concurrently revokes a device that Carol renews.
  const carol = org.appointAdmin('carol')
  const victim = org.issue(bob, 'victim')
  const fork = org.log.slice()
  const revoke = org.append(org.root.secretKey, {
    type: 'revoke-admin',
    adminKey: alice.keys.publicKey,
    reason: 'compromised',
  }, fork)
  const sneaky = org.issue(alice, 'sneaky', { onTopOf: fork })
  org.append(bob.secretKey, {
    type: 'revoke-device',
    deviceId: victim.device.deviceId,
    reason: 'x',
  }, fork)
  const renewal = renewDevice(org.state(fork), carol, hex(victim.device.deviceId), { now: org.now })
  org.log.push(renewal.entry)
  const s1 = org.state()
  const s2 = org.state([...org.log].reverse())
  assertEquals(stateFingerprint(s1), stateFingerprint(s2))
  assert(!s1.devices.has(hex(sneaky.device.deviceId)), 'concurrent issuance is void')
  assert(s1.revokedDevices.has(hex(victim.device.deviceId)))
  assertThrowsCode(
    () => verifyCredential(org.anchor, s1, renewal.credentialBytes, org.now),
    'membership/revoked',
  )
  assertEquals(s1.heads.length, 3, 'three concurrent heads (the void issuance is not one)')
  assert(s1.certificates.has(hex(renewal.certificate.hash)), 'the renewal itself is valid')
  // A later root entry that has seen everything does not resurrect the void issuance.
  org.append(org.root.secretKey, { type: 'set-policy', key: 'retention.days', value: '90' })
  assert(!org.state().devices.has(hex(sneaky.device.deviceId)))
  assert(base.length > 0 && revoke.heads.length === 1)
})

Deno.test('a tampered, re-signed-by-nobody, or foreign entry is rejected; replays are no-ops', () => {
  const org = new TestOrg(14)
  const alice = org.appointAdmin('alice')
  org.issue(alice, 'bob')
  const policy = org.append(alice.secretKey, {
    type: 'set-policy',
    key: 'files.max-mb',
    value: '25',
  })
  // Flip a byte of the policy value: the hash changes and the signature no longer verifies.
  const bytes = policy.bytes.slice()
  bytes[bytes.length - 64 - 1] ^= 0x01
  const tampered = decodeLogEntry(bytes)
  const state = org.state([...org.log.slice(0, -1), tampered])
  assertEquals(reasonOf(state, tampered), 'bad entry signature')
  assert(!state.policies.has('files.max-mb'))
  assertThrowsCode(
    () => acceptEntries(org.anchor, org.log.slice(0, -1), [tampered]),
    'membership/bad-log',
  )
  // Replays: the same bytes twice, or an old entry re-sent later, change nothing.
  const once = org.state()
  const twice = org.state([...org.log, ...org.log, policy])
  assertEquals(stateFingerprint(once), stateFingerprint(twice))
  assertEquals(acceptEntries(org.anchor, org.log, [policy]).accepted.length, 0)
  // Another org's entry, correctly signed by its own root, is rejected here.
  const other = new TestOrg(15)
  const foreign = other.append(other.root.secretKey, { type: 'set-policy', key: 'a', value: 'b' })
  assertEquals(reasonOf(org.state([...org.log, foreign]), foreign), 'entry belongs to another org')
  // A signature made for another purpose (a request, a certificate) does not verify as an entry.
  const signed = policy.bytes.subarray(0, policy.bytes.length - 64)
  const wrongContext = decodeLogEntry(
    new Uint8Array([
      ...signed,
      ...sign(alice.secretKey, 'membership/certificate-request', signed),
    ]),
  )
  assertEquals(
    reasonOf(org.state([...org.log.slice(0, -1), wrongContext]), wrongContext),
    'bad entry signature',
  )
  assert(LOG_ENTRY_CONTEXT === 'membership/log-entry')
})

Deno.test('dropped entries leave descendants pending; reordering changes nothing', () => {
  const org = new TestOrg(16)
  const alice = org.appointAdmin('alice')
  const bob = org.issue(alice, 'bob')
  const revoke = org.append(alice.secretKey, {
    type: 'revoke-device',
    deviceId: bob.device.deviceId,
    reason: '',
  })
  // A relay drops Bob's issuance: the revocation waits (it names a head we lack) instead of
  // being applied out of context, and the server refuses it until the ancestor arrives.
  const dropped = org.log.filter((e) => e !== bob.entry)
  const state = org.state(dropped)
  assertEquals(state.pending, [revoke.id])
  assertThrowsCode(
    () => acceptEntries(org.anchor, dropped.slice(0, -1), [revoke]),
    'membership/bad-log',
  )
  const { accepted } = acceptEntries(org.anchor, dropped.slice(0, -1), [revoke, bob.entry])
  assertEquals(accepted.map((e) => e.id), [bob.entry.id, revoke.id])
  // Every arrival order of the full log gives the same state.
  const forward = stateFingerprint(org.state())
  assertEquals(stateFingerprint(org.state([...org.log].reverse())), forward)
})

Deno.test('a log rolled back to an older head is detected', () => {
  const org = new TestOrg(17)
  const alice = org.appointAdmin('alice')
  const bob = org.issue(alice, 'bob')
  const old = org.log.slice()
  org.append(alice.secretKey, {
    type: 'revoke-device',
    deviceId: bob.device.deviceId,
    reason: 'lost',
  })
  const current = org.state()
  // A peer serves the older log (without the revocation): a device that had seen the newer head
  // refuses it instead of quietly re-admitting Bob.
  assertThrowsCode(() => assertNoRollback(current.heads, org.state(old)), 'membership/bad-log')
  assertNoRollback(org.state(old).heads, current)
  // The server keeps what it has: re-posting the old log accepts nothing and loses nothing.
  const { accepted, state } = acceptEntries(org.anchor, org.log, old)
  assertEquals(accepted.length, 0)
  assert(state.revokedDevices.has(hex(bob.device.deviceId)))
})

Deno.test('incremental sync sends exactly the entries below no known head', () => {
  const org = new TestOrg(18)
  const alice = org.appointAdmin('alice')
  org.issue(alice, 'bob')
  const seen = org.state()
  const c1 = org.append(alice.secretKey, { type: 'set-policy', key: 'history', value: 'share' })
  const c2 = org.issue(alice, 'carol').entry
  assertEquals(entriesNotBelow(org.log, seen.heads).map((e) => e.id), [c1.id, c2.id])
  assertEquals(entriesNotBelow(org.log, []).length, org.log.length)
  assertEquals(entriesNotBelow(org.log, org.state().heads).length, 0)
})

Deno.test('channels, policies, roles, renewals and prekeys reduce to the expected state', () => {
  const org = new TestOrg(19)
  const alice = org.appointAdmin('alice')
  const bob = org.issue(alice, 'bob')
  const channelId = org.random(16)
  org.append(alice.secretKey, {
    type: 'create-channel',
    channelId,
    name: 'news',
    broadcast: true,
    archived: true,
  })
  const dup = org.append(alice.secretKey, {
    type: 'create-channel',
    channelId,
    name: 'other',
    broadcast: false,
    archived: false,
  })
  org.append(alice.secretKey, { type: 'archive-channel', channelId })
  org.append(alice.secretKey, {
    type: 'set-roles',
    deviceId: bob.device.deviceId,
    roles: new Set(['member', 'publisher']),
  })
  const bobPrekey = org.random(32)
  org.append(
    bob.device.signing.secretKey,
    publishPrekeyBody(
      7,
      bobPrekey,
      signPrekey(bob.device.signing.secretKey, bob.device.dh.publicKey, 7, bobPrekey),
    ),
  )
  org.now += 1000
  const renewal = org.append(alice.secretKey, {
    type: 'set-policy',
    key: 'retention.days',
    value: '30',
  })
  org.append(alice.secretKey, { type: 'set-policy', key: 'retention.days', value: '60' })
  const state = org.state()
  const ch = state.channels.get(hex(channelId))!
  assertEquals([ch.name, ch.broadcast, ch.archived, ch.retired], ['news', true, true, true])
  assertEquals(reasonOf(state, dup), 'channel id already exists')
  assertEquals([...state.devices.get(hex(bob.device.deviceId))!.roles].sort(), [
    'member',
    'publisher',
  ])
  assertEquals(state.prekeys.get(hex(bob.device.deviceId))!.prekeyId, 7)
  assertEquals(state.policies.get('retention.days')!.value, '60')
  assert(renewal.heads.length === 1)
  // A device key may publish only its own prekey, and not once revoked.
  org.append(alice.secretKey, { type: 'revoke-device', deviceId: bob.device.deviceId, reason: '' })
  assert(!org.state().prekeys.has(hex(bob.device.deviceId)))
})

Deno.test('a root entry vouches for the signatures in its causal past, and only those', () => {
  const org = new TestOrg(20)
  const alice = org.appointAdmin('alice')
  const bob = org.issue(alice, 'bob')
  const policy = org.append(org.root.secretKey, { type: 'set-policy', key: 'a', value: 'b' })
  // A forged entry in Alice's name (signature of other bytes) beside the root's head: not in the
  // root's causal past, so its own signature is checked, and it fails.
  const signed = policy.bytes.subarray(0, policy.bytes.length - 64)
  const template = org.append(
    alice.secretKey,
    { type: 'set-policy', key: 'c', value: 'd' },
    org.log.slice(0, 2),
  )
  org.log.pop()
  const forged = decodeLogEntry(
    new Uint8Array([
      ...template.bytes.subarray(0, template.bytes.length - 64),
      ...sign(alice.secretKey, LOG_ENTRY_CONTEXT, signed),
    ]),
  )
  const state = org.state([...org.log, forged])
  assertEquals(reasonOf(state, forged), 'bad entry signature')
  assert(state.devices.has(hex(bob.device.deviceId)) && state.policies.get('a')?.value === 'b')
  // A modified copy of an entry under the root's head is a different node (hash links): the
  // root entry now lacks its real parent and waits; nothing under it is applied out of context.
  const bytes = bob.entry.bytes.slice()
  bytes[bytes.length - 1] ^= 1
  const swapped = decodeLogEntry(bytes)
  const partial = org.state(org.log.map((e) => (e === bob.entry ? swapped : e)))
  assertEquals(reasonOf(partial, swapped), 'bad entry signature')
  assertEquals(partial.pending, [policy.id])
})

Deno.test('the worker refuses prekeys from a revoked device', () => {
  const org = new TestOrg(21)
  const alice = org.appointAdmin('alice')
  const bob = org.issue(alice, 'bob')
  org.append(alice.secretKey, { type: 'revoke-device', deviceId: bob.device.deviceId, reason: '' })
  const known = org.log.slice()
  const key = org.random(32)
  const prekey = org.append(
    bob.device.signing.secretKey,
    publishPrekeyBody(
      2,
      key,
      signPrekey(bob.device.signing.secretKey, bob.device.dh.publicKey, 2, key),
    ),
  )
  assertThrowsCode(() => acceptEntries(org.anchor, known, [prekey]), 'membership/bad-log')
  assert(!org.state().prekeys.has(hex(bob.device.deviceId)), 'never in the directory')
})

Deno.test('a small-order author key with a trivial signature is refused (strict Ed25519)', () => {
  const org = new TestOrg(22)
  const alice = org.appointAdmin('alice')
  const policy = org.append(alice.secretKey, { type: 'set-policy', key: 'a', value: 'b' })
  org.log.pop()
  // Author := the identity point, signature := (R = identity, S = 0): permissive (ZIP-215)
  // verification accepts this for any message; strict RFC 8032 verification must not.
  const identity = new Uint8Array(32)
  identity[0] = 1
  const bytes = policy.bytes.slice()
  bytes.set(identity, 18) // version(1) + orgId(16) + type(1)
  const signature = new Uint8Array(64)
  signature[0] = 1
  bytes.set(signature, bytes.length - 64)
  const forged = decodeLogEntry(bytes)
  const signed = bytes.subarray(0, bytes.length - 64)
  const labelled = new Uint8Array([...labelBytes(LOG_ENTRY_CONTEXT), ...signed])
  assert(ed25519.verify(signature, labelled, identity, { zip215: true }), 'the forgery is real')
  assertEquals(reasonOf(org.state([...org.log, forged]), forged), 'bad entry signature')
})

Deno.test('native batch pre-verification agrees with the strict reference', async () => {
  const org = new TestOrg(23)
  const alice = org.appointAdmin('alice')
  org.issue(alice, 'bob')
  const policy = org.append(alice.secretKey, { type: 'set-policy', key: 'a', value: 'b' })
  const bytes = policy.bytes.slice()
  bytes.set(new Uint8Array(32).fill(0).map((_, i) => (i === 0 ? 1 : 0)), 18)
  bytes.set(new Uint8Array(64).map((_, i) => (i === 0 ? 1 : 0)), bytes.length - 64)
  const flipped = policy.bytes.slice()
  flipped[flipped.length - 1] ^= 0x80
  const candidates = [...org.log, decodeLogEntry(bytes), decodeLogEntry(flipped)]
  const fresh = candidates.map((e) => decodeLogEntry(e.bytes)) // nothing memoised yet
  await preverifyLogSignatures(fresh, await defaultProvider())
  assertEquals(
    stateFingerprint(org.state(fresh)),
    stateFingerprint(org.state(candidates.map((e) => decodeLogEntry(e.bytes)))),
  )
  assertEquals(org.state(fresh).rejected.length, 2)
})

Deno.test('no choice of heads lets an issuance replace an issued device', () => {
  const org = new TestOrg(24)
  const alice = org.appointAdmin('alice')
  const mallory = org.appointAdmin('mallory') // a valid but rogue admin
  const beforeBob = org.log.slice()
  const bob = org.issue(alice, 'bob')
  const thief = org.newDevice()
  const claim = (onTopOf: LogEntry[]) =>
    createLogEntry({
      orgId: org.anchor.orgId,
      authorSecretKey: mallory.secretKey,
      timestamp: org.now,
      heads: org.state(onTopOf).heads,
      body: {
        type: 'issue-device',
        certificate: createDeviceCertificate(mallory.secretKey, {
          ...bob.certificate,
          issuer: mallory.keys.publicKey,
          signingPublicKey: thief.signing.publicKey,
          identityDhPublicKey: thief.dh.publicKey,
        }),
      },
    })
  // Having seen Bob's issuance, the claim on his device id is simply void.
  const seen = claim(org.log)
  let state = org.state([...org.log, seen])
  assertEquals(reasonOf(state, seen), 'conflicts with an issued device it had seen')
  assertEquals(
    state.devices.get(hex(bob.device.deviceId))!.signingPublicKey,
    bob.device.signing.publicKey,
  )
  // Back-dated (heads from before Bob): it would sort first, yet it cannot take Bob's place —
  // both claims are void, and the thief's keys are never accepted.
  const backdated = claim(beforeBob)
  state = org.state([...org.log, backdated])
  assertEquals(reasonOf(state, backdated), 'conflicts with a concurrent issuance (both void)')
  assert(!state.devices.has(hex(bob.device.deviceId)), 'the contested device id is void')
  assert(
    [...state.devices.values()].every((d) =>
      hex(d.signingPublicKey) !== hex(thief.signing.publicKey)
    ),
  )
})
