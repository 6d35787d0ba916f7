// The incremental replica must always equal the pure reducer over everything it was given,
// whether an entry takes the O(1) path or forces a full re-reduction.

import fc from 'fast-check'
import {
  acceptEntries,
  createDeviceCertificate,
  OrgLogReplica,
  publishPrekeyBody,
  reduceOrgLog,
  signPrekey,
} from '../../crypto/membership/index.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { decodeLogEntry } from '../../crypto/membership/log-entry.ts'
import { assert, assertEquals, stateFingerprint } from './support/assert.ts'
import { hex, TestOrg } from './support/org-fixture.ts'

const BOARD = new Uint8Array(16).fill(0xb0)

function sampleOrg(seed: number): TestOrg {
  const org = new TestOrg(seed)
  const alice = org.appointAdmin('alice')
  const bob = org.appointAdmin('bob')
  const devices = [org.issue(alice, 'u1'), org.issue(bob, 'u2'), org.issue(alice, 'u1')]
  org.append(alice.secretKey, {
    type: 'create-channel',
    channelId: BOARD,
    name: 'board',
    broadcast: false,
    archived: false,
    private: true,
    members: ['u1', 'u2'],
  })
  const fork = org.log.slice()
  // A removal nobody sees until the end: it sorts before the later, deeper add of u2, which had
  // not seen it, so that add is void (rule 7) — on the replica as in the reducer.
  const kick = org.append(alice.secretKey, {
    type: 'channel-members',
    channelId: BOARD,
    add: [],
    remove: ['u2'],
  }, fork)
  org.log.pop()
  // Concurrent, conflicting writes at different depths: the deeper one must win everywhere.
  const shallow = org.append(alice.secretKey, {
    type: 'set-policy',
    key: 'retention.days',
    value: 'shallow',
  }, fork)
  org.log.pop() // nobody else sees it until the end
  org.append(
    org.root.secretKey,
    { type: 'revoke-admin', adminKey: bob.keys.publicKey, reason: '' },
    fork,
  )
  org.issue(bob, 'late', { onTopOf: fork }) // void
  // A later issuance on a client-id range already taken, having seen it: void (rule 5), and
  // it must not take the O(1) path.
  const clash = org.newDevice()
  org.append(org.root.secretKey, {
    type: 'issue-device',
    certificate: createDeviceCertificate(org.root.secretKey, {
      ...devices[0].certificate,
      issuer: org.root.publicKey,
      deviceId: clash.deviceId,
      signingPublicKey: clash.signing.publicKey,
    }),
  })
  org.append(alice.secretKey, { type: 'revoke-user', userId: 'u1', reason: '' })
  const prekey = org.random(32)
  const { signing, dh } = devices[1].device
  org.append(
    signing.secretKey,
    publishPrekeyBody(1, prekey, signPrekey(signing.secretKey, dh.publicKey, 1, prekey)),
  )
  org.append(alice.secretKey, { type: 'set-policy', key: 'retention.days', value: 'deep' })
  org.issue(alice, 'u3')
  org.append(alice.secretKey, {
    type: 'channel-members',
    channelId: BOARD,
    add: ['u2', 'u3'],
    remove: [],
  })
  org.log.push(shallow, kick)
  return org
}

Deno.test('appending on top of the heads takes the O(1) path and matches the reducer', () => {
  const org = sampleOrg(51)
  const replica = new OrgLogReplica(org.anchor)
  org.log.forEach((e, i) => {
    replica.add([e])
    const expected = reduceOrgLog(org.anchor, org.log.slice(0, i + 1))
    assertEquals(stateFingerprint(replica.state), stateFingerprint(expected), `after entry ${i}`)
  })
  assert(replica.stats.fast >= 5, `fast path used (${JSON.stringify(replica.stats)})`)
  // A concurrent entry that arrives late sorts before others: the replica must not apply it last.
  const shallow = org.log.find((e) => e.body.type === 'set-policy' && e.body.value === 'shallow')!
  const late = new OrgLogReplica(org.anchor)
  for (const e of org.log) if (e !== shallow) late.add([e])
  late.add([shallow])
  assertEquals(late.state.policies.get('retention.days')!.value, 'deep')
  assertEquals([...late.state.channels.get(hex(BOARD))!.members].sort(), ['u1', 'u3'])
  assertEquals(stateFingerprint(late.state), stateFingerprint(reduceOrgLog(org.anchor, org.log)))
  // A tampered entry on top is rejected on the fast path too, identically.
  const last = org.log[org.log.length - 1]
  const bytes = last.bytes.slice()
  bytes[bytes.length - 1] ^= 1
  const bad = decodeLogEntry(bytes)
  replica.add([bad])
  assertEquals(
    stateFingerprint(replica.state),
    stateFingerprint(reduceOrgLog(org.anchor, [...org.log, bad])),
  )
  assert(replica.state.rejected.some((r) => r.id === bad.id), 'rejected')
})

Deno.test('property: a replica fed in any order and batching equals the reducer', () => {
  const orgs = [sampleOrg(52), sampleOrg(53)]
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1 }),
      fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 10 }),
      (which, keys, sizes) => {
        const org = orgs[which]
        const order = org.log.map((e, i) => ({ e, k: keys[i % keys.length] * 64 + i }))
          .sort((a, b) => a.k - b.k).map((x) => x.e)
        const replica = new OrgLogReplica(org.anchor)
        let at = 0
        for (let i = 0; at < order.length; i++) {
          const n = sizes[i % sizes.length]
          replica.add(order.slice(at, at + n))
          at += n
          // every intermediate state equals the reducer over the same prefix
          if (
            stateFingerprint(replica.state) !==
              stateFingerprint(reduceOrgLog(org.anchor, order.slice(0, at)))
          ) {
            return false
          }
        }
        return replica.state.devices.size > 0 &&
          !replica.state.devices.has(hex(new Uint8Array(16)))
      },
    ),
    { numRuns: 60, seed: 9001 },
  )
})

Deno.test('a state handed out never changes when the replica moves on', () => {
  const org = sampleOrg(54)
  const replica = new OrgLogReplica(org.anchor)
  const fingerprints: string[] = []
  const states = []
  for (const e of org.log) {
    replica.add([e])
    states.push(replica.state)
    fingerprints.push(stateFingerprint(replica.state))
  }
  states.forEach((s, i) => assertEquals(stateFingerprint(s), fingerprints[i], `state ${i}`))
})

Deno.test('replica.accept takes valid batches whole and refuses bad ones, like acceptEntries', () => {
  const org = sampleOrg(55)
  const alice = org.appointAdmin('alice2')
  const good = org.log.slice()
  const member = org.issue(alice, 'm')
  const memberKey = member.device.signing.secretKey
  // Candidates: valid appends, a member's forged issuance, an orphan, a tampered entry.
  const valid1 = org.append(alice.secretKey, { type: 'set-policy', key: 'p', value: '1' })
  const valid2 = org.append(org.root.secretKey, { type: 'set-policy', key: 'p', value: '2' })
  const byMember = org.append(memberKey, { type: 'set-policy', key: 'p', value: 'member' })
  org.log.pop()
  const orphanParent = org.append(alice.secretKey, { type: 'set-policy', key: 'q', value: 'x' })
  org.log.pop()
  const orphan = org.append(alice.secretKey, { type: 'set-policy', key: 'q', value: 'y' }, [
    ...org.log,
    orphanParent,
  ])
  org.log.pop()
  const tamperedBytes = valid2.bytes.slice()
  tamperedBytes[tamperedBytes.length - 2] ^= 4
  const tampered = decodeLogEntry(tamperedBytes)
  // Authorised but conflicting (a role change for a device nobody issued): costs an undo.
  const unknownRoles = org.append(alice.secretKey, {
    type: 'set-roles',
    deviceId: org.random(16),
    roles: new Set(['member']),
  })
  org.log.pop()
  const batches = [
    [member.entry, unknownRoles],
    [member.entry, valid1, valid2],
    [byMember],
    [orphan],
    [tampered],
    [member.entry, valid1, byMember],
  ]
  for (const batch of batches) {
    const replica = new OrgLogReplica(org.anchor, good)
    let expected: string[] | 'refused'
    try {
      expected = acceptEntries(org.anchor, good, batch).accepted.map((e) => e.id)
    } catch {
      expected = 'refused'
    }
    let actual: string[] | 'refused'
    try {
      actual = replica.accept(batch).map((e) => e.id)
    } catch (e) {
      assert(isConchError(e, 'membership/bad-log'), String(e))
      actual = 'refused'
    }
    assertEquals(actual, expected)
    const taken = actual === 'refused' ? [] : batch
    assertEquals(
      stateFingerprint(replica.state),
      stateFingerprint(reduceOrgLog(org.anchor, [...good, ...taken])),
    )
  }
})

Deno.test('fuzz: replica.accept on mutated entries refuses with bad-log and changes nothing', () => {
  const org = sampleOrg(56)
  const replica = new OrgLogReplica(org.anchor, org.log)
  const before = stateFingerprint(replica.state)
  let refused = 0
  for (let i = 0; i < 200; i++) {
    const source = org.log[i % org.log.length].bytes.slice()
    const at = (i * 7919) % source.length
    source[at] ^= 1 << (i % 8)
    let entry
    try {
      entry = decodeLogEntry(source)
    } catch (e) {
      assert(isConchError(e), String(e))
      continue
    }
    try {
      replica.accept([entry])
      throw new Error(`mutant ${i} accepted`)
    } catch (e) {
      assert(isConchError(e, 'membership/bad-log'), String(e))
      refused++
    }
  }
  assert(refused > 50, `refusals: ${refused}`)
  assertEquals(stateFingerprint(replica.state), before)
})
