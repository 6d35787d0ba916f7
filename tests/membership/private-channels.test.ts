// Stories about private channels in the org log: an admin creates one with members, adds and
// removes people; members and strangers cannot change it; a removal beats a concurrent add in
// every arrival order, on the reducer and on a live replica alike.

import fc from 'fast-check'
import {
  acceptEntries,
  type LogEntry,
  type LogEntryBody,
  OrgLogReplica,
  reduceOrgLog,
} from '../../crypto/membership/index.ts'
import { assert, assertEquals, assertThrowsCode, stateFingerprint } from './support/assert.ts'
import { hex, type TestAdmin, TestOrg } from './support/org-fixture.ts'

const reasonOf = (state: { rejected: readonly { id: string; reason: string }[] }, e: LogEntry) =>
  state.rejected.find((r) => r.id === e.id)?.reason

const members = (org: TestOrg, channelId: Uint8Array, entries?: LogEntry[]) =>
  [
    ...org.state(entries).channels.get(hex(channelId))!.members,
  ].sort()

function privateChannel(org: TestOrg, author: Uint8Array, initial: string[]): Uint8Array {
  const channelId = org.random(16)
  org.append(author, {
    type: 'create-channel',
    channelId,
    name: 'board',
    broadcast: false,
    archived: false,
    private: true,
    members: initial,
  })
  return channelId
}

const change = (channelId: Uint8Array, add: string[], remove: string[]): LogEntryBody => ({
  type: 'channel-members',
  channelId,
  add,
  remove,
})

Deno.test('an admin creates a private channel for two users, then adds one and removes one', () => {
  const org = new TestOrg(61)
  const alice = org.appointAdmin('alice')
  for (const u of ['bob', 'carol', 'dave']) org.issue(alice, u)
  const publicId = org.random(16)
  org.append(alice.secretKey, {
    type: 'create-channel',
    channelId: publicId,
    name: 'general',
    broadcast: false,
    archived: false,
  })
  const board = privateChannel(org, alice.secretKey, ['carol', 'bob'])
  const general = org.state().channels.get(hex(publicId))!
  assertEquals([general.private, general.members.size], [false, 0], 'public: no member list')
  const record = org.state().channels.get(hex(board))!
  assertEquals([record.private, record.name], [true, 'board'])
  assertEquals(members(org, board), ['bob', 'carol'])

  org.append(alice.secretKey, change(board, ['dave'], []))
  assertEquals(members(org, board), ['bob', 'carol', 'dave'])
  org.append(org.root.secretKey, change(board, [], ['carol']))
  assertEquals(members(org, board), ['bob', 'dave'], 'the root may change members too')
  // Adding a member twice or removing a non-member changes nothing, and is not an error.
  org.append(alice.secretKey, change(board, ['bob'], ['carol']))
  assertEquals(members(org, board), ['bob', 'dave'])
  assertEquals(org.state().rejected.length, 0)
  // The creator is a member only if listed: an admin key is not a user.
  assert(!org.state().channels.get(hex(board))!.members.has('alice'))
})

Deno.test('a member device cannot add itself or others: every receiver refuses the entry', () => {
  const org = new TestOrg(62)
  const alice = org.appointAdmin('alice')
  const bob = org.issue(alice, 'bob')
  org.issue(alice, 'mallory')
  const board = privateChannel(org, alice.secretKey, ['bob'])
  const known = org.log.slice()
  const sneaky = org.append(bob.device.signing.secretKey, change(board, ['mallory'], []))
  const state = org.state()
  assertEquals(reasonOf(state, sneaky), 'author is not an admin')
  assertEquals(members(org, board), ['bob'])
  // The signaling worker (POST /org/log -> 422) refuses it, on both of its paths.
  assertThrowsCode(() => acceptEntries(org.anchor, known, [sneaky]), 'membership/bad-log')
  const replica = new OrgLogReplica(org.anchor, known)
  assertThrowsCode(() => replica.accept([sneaky]), 'membership/bad-log')
  assert(!replica.has(sneaky.id), 'nothing changed')
})

Deno.test('membership changes for public, unknown and retired channels are refused', () => {
  const org = new TestOrg(63)
  const alice = org.appointAdmin('alice')
  org.issue(alice, 'bob')
  const publicId = org.random(16)
  org.append(alice.secretKey, {
    type: 'create-channel',
    channelId: publicId,
    name: 'general',
    broadcast: true,
    archived: false,
  })
  const board = privateChannel(org, alice.secretKey, [])
  const toPublic = org.append(alice.secretKey, change(publicId, ['bob'], []))
  const toNowhere = org.append(alice.secretKey, change(org.random(16), ['bob'], []))
  const known = org.log.filter((e) => e !== toPublic && e !== toNowhere)
  org.append(alice.secretKey, { type: 'archive-channel', channelId: board })
  const toRetired = org.append(alice.secretKey, change(board, ['bob'], []))
  const state = org.state()
  assertEquals(reasonOf(state, toPublic), 'membership change for a public channel')
  assertEquals(reasonOf(state, toNowhere), 'membership change for an unknown channel')
  assertEquals(reasonOf(state, toRetired), 'membership change for a retired channel')
  assertEquals(state.channels.get(hex(publicId))!.members.size, 0)
  assertEquals(state.channels.get(hex(board))!.members.size, 0)
  for (const bad of [toPublic, toNowhere]) {
    assertThrowsCode(() => acceptEntries(org.anchor, known, [bad]), 'membership/bad-log')
  }
})

/**
 * Alice and Bob (two admins) act on diverging views: one removes `eve`, the other adds her
 * without having seen the removal. `extra` entries on one branch make it deeper, so each test
 * can choose which of the two sorts first in the shared (depth, hash) order.
 */
function race(seed: number, removerDeeper: boolean, initial: string[]) {
  const org = new TestOrg(seed)
  const alice = org.appointAdmin('alice')
  const bob = org.appointAdmin('bob')
  org.issue(alice, 'eve')
  const board = privateChannel(org, alice.secretKey, initial)
  const base = org.log.slice()
  const branch = (admin: TestAdmin, body: LogEntryBody, deeper: boolean) => {
    const view = base.slice()
    if (deeper) {
      view.push(
        org.append(admin.secretKey, { type: 'set-policy', key: `p${seed}`, value: 'x' }, view),
      )
    }
    view.push(org.append(admin.secretKey, body, view))
    return view.slice(base.length)
  }
  const removal = branch(alice, change(board, [], ['eve']), removerDeeper)
  const addition = branch(bob, change(board, ['eve'], []), !removerDeeper)
  org.log = [...base, ...removal, ...addition]
  return { org, board, alice, bob, removal, addition }
}

Deno.test('a removal and a concurrent add of the same user: the removal wins, in every order', () => {
  for (const removerDeeper of [false, true]) {
    for (const initial of [['eve'], []]) {
      const { org, board } = race(64, removerDeeper, initial)
      const state = org.state()
      assertEquals(state.rejected.length, 0, 'both entries apply; only the add has no effect')
      assertEquals(members(org, board), [], `removerDeeper=${removerDeeper} initial=${initial}`)
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), (keys) => {
          const shuffled = org.log.map((e, i) => ({ e, k: keys[i % keys.length] * 64 + i }))
            .sort((a, b) => a.k - b.k).map((x) => x.e)
          const replica = new OrgLogReplica(org.anchor)
          for (const e of shuffled) replica.add([e])
          return stateFingerprint(reduceOrgLog(org.anchor, shuffled)) ===
              stateFingerprint(state) && stateFingerprint(replica.state) === stateFingerprint(state)
        }),
        { numRuns: 40, seed: 64 },
      )
    }
  }
})

Deno.test('an add that has seen the removal counts: the user is back', () => {
  const { org, board, bob } = race(65, true, ['eve'])
  assertEquals(members(org, board), [])
  org.append(bob.secretKey, change(board, ['eve'], [])) // on top of both branches
  assertEquals(members(org, board), ['eve'])
  // ...and on a live replica that was fed the race in reverse first.
  const replica = new OrgLogReplica(org.anchor, [...org.log].reverse())
  assertEquals([...replica.state.channels.get(hex(board))!.members], ['eve'])
})

Deno.test('removal wins only for that user and that channel', () => {
  const { org, board, alice } = race(66, false, [])
  const other = privateChannel(org, alice.secretKey, [])
  const fork = org.log.slice()
  // Two concurrent entries: one adds eve to the other channel and frank to the board, the
  // other removes eve from the board again. Frank and eve-in-other are unaffected.
  const add = org.append(alice.secretKey, change(board, ['frank'], []), fork)
  org.log.pop()
  org.append(alice.secretKey, change(other, ['eve'], []), fork)
  org.log.push(add)
  assertEquals(members(org, board), ['frank'])
  assertEquals(members(org, other), ['eve'])
})

Deno.test('a state handed out keeps its member list when the live replica moves on', () => {
  const org = new TestOrg(67)
  const alice = org.appointAdmin('alice')
  const board = privateChannel(org, alice.secretKey, ['bob'])
  const replica = new OrgLogReplica(org.anchor, org.log)
  const before = replica.state
  const add = org.append(alice.secretKey, change(board, ['carol'], []))
  replica.add([add])
  org.append(alice.secretKey, { type: 'archive-channel', channelId: board })
  replica.add(org.log.slice(-1))
  assertEquals(replica.stats, { fast: 2, full: 1 }, 'both took the O(1) path')
  assertEquals([...before.channels.get(hex(board))!.members], ['bob'])
  const after = replica.state.channels.get(hex(board))!
  assertEquals([[...after.members].sort(), after.retired], [['bob', 'carol'], true])
  assertEquals(stateFingerprint(replica.state), stateFingerprint(org.state()))
})
