// Property: the org state is identical for every arrival order (and every duplication) of the
// same set of entries, including concurrent admins, revocations and conflicting issuances.

import fc from 'fast-check'
import {
  createDeviceCertificate,
  type LogEntry,
  type LogEntryBody,
  reduceOrgLog,
  type Role,
} from '../../crypto/membership/index.ts'
import { assert, assertEquals, stateFingerprint } from './support/assert.ts'
import { hex, type TestAdmin, TestOrg } from './support/org-fixture.ts'

/**
 * A seeded scenario: three replicas (root + two admins) act on their own view of the log and
 * occasionally sync, so the DAG has real concurrency. Some actions are designed to collide:
 * the same client-id range, the same channel id, a revocation racing the revoked admin's work.
 */
function scenario(seed: number): { org: TestOrg; entries: LogEntry[]; privateChannel: Uint8Array } {
  const org = new TestOrg(seed)
  const alice = org.appointAdmin('alice')
  const bob = org.appointAdmin('bob')
  const privateChannel = org.random(16)
  org.append(org.root.secretKey, {
    type: 'create-channel',
    channelId: privateChannel,
    name: 'board',
    broadcast: false,
    archived: false,
    private: true,
    members: ['user0', 'user1'],
  })
  const views: LogEntry[][] = [org.log.slice(), org.log.slice(), org.log.slice()]
  const actors: { secretKey: Uint8Array; admin?: TestAdmin }[] = [
    { secretKey: org.root.secretKey },
    { secretKey: alice.secretKey, admin: alice },
    { secretKey: bob.secretKey, admin: bob },
  ]
  const all = new Map(org.log.map((e) => [e.id, e]))
  const pick = (n: number) => org.random(1)[0] % n
  const sharedChannel = org.random(16)
  const issuedIds: Uint8Array[] = []
  for (let step = 0; step < 20; step++) {
    const who = pick(3)
    const view = views[who]
    const actor = actors[who]
    org.now += 1000
    const push = (e: LogEntry) => {
      view.push(e)
      all.set(e.id, e)
    }
    const body = (b: LogEntryBody) => {
      org.log = view
      const e = org.append(actor.secretKey, b, view)
      view.pop()
      push(e)
    }
    switch (pick(9)) {
      case 0: {
        const issuer = who === 0 ? org.rootIssuer : actor.admin!
        const user = `user${pick(4)}`
        if (reduceOrgLog(org.anchor, view).revokedUsers.has(user)) break // issueDevice refuses
        const issued = org.issue(issuer, user, { onTopOf: view })
        org.log.pop()
        issuedIds.push(issued.device.deviceId)
        // Half the time, a second device on the same client-id range, made by another replica.
        if (pick(2) === 0) {
          const other = org.newDevice()
          const clash = createDeviceCertificate(org.root.secretKey, {
            ...issued.certificate,
            issuer: org.root.publicKey,
            deviceId: other.deviceId,
            signingPublicKey: other.signing.publicKey,
            roles: new Set<Role>(['member']),
          })
          const v = views[(who + 1) % 3]
          org.log = v
          const e = org.append(org.root.secretKey, { type: 'issue-device', certificate: clash }, v)
          v.pop()
          v.push(e)
          all.set(e.id, e)
        }
        push(issued.entry)
        break
      }
      case 1:
        if (issuedIds.length) {
          body({ type: 'revoke-device', deviceId: issuedIds[pick(issuedIds.length)], reason: '' })
        }
        break
      case 2:
        body({ type: 'set-policy', key: 'retention.days', value: String(pick(100)) })
        break
      case 3:
        body({
          type: 'create-channel',
          channelId: sharedChannel,
          name: `c${who}`,
          broadcast: false,
          archived: false,
        })
        break
      case 4:
        if (who === 0) {
          body({
            type: 'revoke-admin',
            adminKey: actors[1 + pick(2)].admin!.keys.publicKey,
            reason: '',
          })
        } else body({ type: 'revoke-user', userId: `user${pick(4)}`, reason: '' })
        break
      case 5:
        if (issuedIds.length) {
          body({
            type: 'set-roles',
            deviceId: issuedIds[pick(issuedIds.length)],
            roles: new Set<Role>(['member', 'publisher']),
          })
        }
        break
      case 6: // a clashing second creation of the private channel id: the first one keeps it
        body({
          type: 'create-channel',
          channelId: privateChannel,
          name: `p${who}`,
          broadcast: false,
          archived: false,
          private: true,
          members: [`user${pick(4)}`],
        })
        break
      case 7: {
        // Replicas add and remove the same few users concurrently: removal must win everywhere.
        const user = [`user${pick(4)}`]
        const channelId = pick(6) === 0 ? sharedChannel : privateChannel
        body({
          type: 'channel-members',
          channelId,
          ...(pick(2) === 0 ? { add: user, remove: [] } : { add: [], remove: user }),
        })
        break
      }
      default: {
        // Sync: this replica learns everything another one knows.
        const from = views[pick(3)]
        const have = new Set(view.map((e) => e.id))
        for (const e of from) if (!have.has(e.id)) view.push(e)
      }
    }
  }
  // One race every scenario has: the root removes user1 on one replica and adds user1 and
  // user3 on another, neither having seen the other. Removal wins (rule 7).
  for (const [who, add, remove] of [[0, [], ['user1']], [1, ['user1', 'user3'], []]] as const) {
    org.log = views[who]
    const e = org.append(org.root.secretKey, {
      type: 'channel-members',
      channelId: privateChannel,
      add,
      remove,
    }, views[who])
    all.set(e.id, e)
  }
  return { org, entries: [...all.values()], privateChannel }
}

const SCENARIOS = [101, 202, 303].map(scenario)

Deno.test('the scenarios exercise concurrency, conflicts and rejections', () => {
  for (const { org, entries } of SCENARIOS) {
    const state = reduceOrgLog(org.anchor, entries)
    assert(state.log.length > 5, 'most entries apply')
    assert(entries.some((e) => e.heads.length > 1) || state.heads.length > 1, 'the DAG branches')
    assertEquals(state.pending.length, 0)
  }
  const rejected = SCENARIOS.map(({ org, entries }) =>
    reduceOrgLog(org.anchor, entries).rejected.length
  )
  assert(rejected.some((n) => n > 0), 'some entries lose a conflict or are void')
  for (const { org, entries, privateChannel } of SCENARIOS) {
    const board = reduceOrgLog(org.anchor, entries).channels.get(hex(privateChannel))!
    assert(board.private && !board.members.has('user1'), 'the final race: removal wins')
  }
})

Deno.test('property: org state is identical for every arrival order and duplication', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: SCENARIOS.length - 1 }),
      fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
      fc.array(fc.nat({ max: 59 }), { maxLength: 5 }),
      (which, keys, dupes) => {
        const { org, entries } = SCENARIOS[which]
        const reference = stateFingerprint(reduceOrgLog(org.anchor, entries))
        const shuffled = entries.map((e, i) => ({ e, k: keys[i % keys.length] * 64 + i }))
          .sort((a, b) => a.k - b.k).map((x) => x.e)
        for (const d of dupes) shuffled.push(entries[d % entries.length])
        return stateFingerprint(reduceOrgLog(org.anchor, shuffled)) === reference
      },
    ),
    { numRuns: 150, seed: 4242 },
  )
})

Deno.test('property: any partial delivery reduces without throwing and converges once complete', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: SCENARIOS.length - 1 }),
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 20 }),
      (which, sizes) => {
        const { org, entries } = SCENARIOS[which]
        const reversed = [...entries].reverse()
        let known: LogEntry[] = []
        let at = 0
        for (let i = 0; at < reversed.length; i++) {
          const batch = reversed.slice(at, at + sizes[i % sizes.length])
          at += batch.length
          known = [...known, ...batch]
          // Partial logs (children before parents) park entries as pending, never throw, and
          // never apply an entry whose ancestors are missing.
          const partial = reduceOrgLog(org.anchor, known)
          const present = new Set(known.map((e) => e.id))
          for (const id of partial.pending) present.delete(id)
          if (partial.log.some((e) => e.parentIds.some((p) => !present.has(p)))) return false
        }
        const final = reduceOrgLog(org.anchor, known)
        return stateFingerprint(final) === stateFingerprint(reduceOrgLog(org.anchor, entries)) &&
          [...final.devices.values()].every((d) => final.devices.get(hex(d.deviceId)) === d)
      },
    ),
    { numRuns: 40, seed: 777 },
  )
})
