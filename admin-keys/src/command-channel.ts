// `channel create|add|remove|archive|list`: org channels, and the member lists of private ones
// (docs/protocol/membership.md §6, §9 rule 7). Channels are named by id or by name.

import { toHex } from '../../crypto/codec/bytes.ts'
import {
  type ChannelRecord,
  compareUserIds,
  MAX_USER_ID_BYTES,
  MAX_USER_IDS_PER_LIST,
  type OrgState,
} from '../../crypto/membership/index.ts'
import type { Args } from './args.ts'
import { CliError, usageError } from './cli-io.ts'
import { appendEntries } from './command-manage.ts'
import type { OrgStore } from './org-store.ts'

const USAGE =
  'usage: channel create NAME [--broadcast] [--archived] [--private] [--member USER]...' +
  ' | channel add CHANNEL USER... | channel remove CHANNEL USER... | channel archive CHANNEL' +
  ' | channel list'

/** A channel by its 32-hex id, else by name (a live one first; several live ones: ambiguous). */
export function resolveChannel(state: OrgState, nameOrId: string): ChannelRecord {
  const byId = state.channels.get(nameOrId.toLowerCase())
  if (byId) return byId
  const named = [...state.channels.values()].filter((c) => c.name === nameOrId)
  const live = named.filter((c) => !c.retired)
  const pick = live.length > 0 ? live : named
  if (pick.length === 0) throw new CliError(`no channel "${nameOrId}" (see "channel list")`)
  if (pick.length > 1) {
    throw new CliError(
      `${pick.length} channels are named "${nameOrId}"; name one by id: ` +
        pick.map((c) => toHex(c.channelId)).join(', '),
    )
  }
  return pick[0]
}

/** Refuses user ids that no device was ever issued to (a typo must not create a ghost member). */
function knownUsers(state: OrgState, users: string[], refuseRevoked: boolean): string[] {
  const issued = new Set([...state.devices.values()].map((d) => d.userId))
  for (const u of users) {
    if (new TextEncoder().encode(u).length > MAX_USER_ID_BYTES || u === '') {
      throw usageError(`"${u}" is not a user id (1 to ${MAX_USER_ID_BYTES} bytes)`)
    }
    if (!issued.has(u)) throw new CliError(`no device was ever issued to user "${u}"`)
    if (refuseRevoked && state.revokedUsers.has(u)) throw new CliError(`user "${u}" is revoked`)
  }
  const unique = [...new Set(users)].sort(compareUserIds)
  if (unique.length > MAX_USER_IDS_PER_LIST) {
    throw new CliError(`at most ${MAX_USER_IDS_PER_LIST} users per command; split the list`)
  }
  return unique
}

function describe(c: ChannelRecord): string {
  const flags = [
    c.private ? 'private' : 'public',
    c.broadcast && 'broadcast',
    c.archived && 'archived',
    c.retired && 'retired',
  ].filter(Boolean).join(',')
  const members = c.private
    ? `  members: ${[...c.members].sort(compareUserIds).join(' ') || '-'}`
    : ''
  return `${toHex(c.channelId)}  ${c.name}  [${flags}]${members}`
}

async function create(store: OrgStore, args: Args, name: string): Promise<void> {
  const broadcast = args.bool('broadcast')
  const archived = args.bool('archived')
  const isPrivate = args.bool('private')
  const listed = args.all('member')
  args.assertAllUsed()
  if (listed.length > 0 && !isPrivate) {
    throw usageError('--member lists the members of a private channel: add --private')
  }
  const channelId = store.io.random(16)
  await appendEntries(store, (state) => [{
    type: 'create-channel',
    channelId,
    name,
    broadcast,
    archived,
    ...(isPrivate ? { private: true, members: knownUsers(state, listed, true) } : {}),
  }])
  store.io.out(toHex(channelId))
  if (isPrivate && listed.length === 0) {
    store.io.err('note: the channel has no members yet; add them with "channel add"')
  }
}

async function changeMembers(
  store: OrgStore,
  args: Args,
  mode: 'add' | 'remove',
  target: string,
  users: string[],
): Promise<void> {
  args.assertAllUsed()
  if (users.length === 0) throw usageError(`usage: channel ${mode} CHANNEL USER...`)
  const [id] = await appendEntries(store, (state) => {
    const channel = resolveChannel(state, target)
    const label = `"${channel.name}" (${toHex(channel.channelId).slice(0, 12)})`
    if (!channel.private) {
      throw new CliError(`channel ${label} is public: every member device reads it`)
    }
    if (channel.retired) throw new CliError(`channel ${label} is archived (retired)`)
    const wanted = knownUsers(state, users, mode === 'add')
    const effective = wanted.filter((u) => channel.members.has(u) === (mode === 'remove'))
    for (const u of wanted) {
      if (!effective.includes(u)) {
        store.io.err(`note: "${u}" ${mode === 'add' ? 'is already' : 'is not'} a member`)
      }
    }
    if (effective.length === 0) throw new CliError(`nothing to change in channel ${label}`)
    return [{
      type: 'channel-members',
      channelId: channel.channelId,
      add: mode === 'add' ? effective : [],
      remove: mode === 'remove' ? effective : [],
    }]
  })
  store.io.out(`channel-members recorded as entry ${id}; run "publish" so every device hears it`)
}

export async function channelCommand(store: OrgStore, args: Args): Promise<void> {
  const [sub, arg, ...rest] = args.positional.slice(1)
  if (sub === 'create' && arg !== undefined && rest.length === 0) return create(store, args, arg)
  if ((sub === 'add' || sub === 'remove') && arg !== undefined) {
    return changeMembers(store, args, sub, arg, rest)
  }
  if (sub === 'archive' && arg !== undefined && rest.length === 0) {
    args.assertAllUsed()
    const [id] = await appendEntries(store, (state) => [
      { type: 'archive-channel', channelId: resolveChannel(state, arg).channelId },
    ])
    store.io.out(`archive-channel recorded as entry ${id}`)
    return
  }
  if (sub === 'list' && arg === undefined) {
    args.assertAllUsed()
    const { state } = await store.load()
    for (const c of state.channels.values()) store.io.out(describe(c))
    return
  }
  throw usageError(USAGE)
}
