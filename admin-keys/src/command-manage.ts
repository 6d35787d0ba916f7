// Administration commands that append one root-signed entry: `revoke`, `wipe`, `role`,
// `policy set`, `channel create`, `channel archive`.

import { fromHex, toHex } from '../../crypto/codec/bytes.ts'
import { appendOrgEntry, type LogEntryBody, parseRoles } from '../../crypto/membership/index.ts'
import type { Args } from './args.ts'
import { CliError, usageError } from './cli-io.ts'
import type { OrgStore } from './org-store.ts'

function hexArg(args: Args, name: string, bytes: number): Uint8Array {
  const text = args.require(name, `${bytes * 2} hex characters`)
  let out: Uint8Array
  try {
    out = fromHex(text)
  } catch {
    throw usageError(`--${name} must be ${bytes * 2} hex characters`)
  }
  if (out.length !== bytes) throw usageError(`--${name} must be ${bytes * 2} hex characters`)
  return out
}

/** Loads, unlocks, appends one root-signed entry, saves; returns the new entry's id. */
async function appendOne(store: OrgStore, body: LogEntryBody): Promise<string> {
  const { entries, state } = await store.load()
  const root = await store.unlock()
  const entry = appendOrgEntry(state, root.rootSecretKey, body, store.io.now())
  await store.save(root, [...entries, entry])
  return entry.id
}

export async function revokeCommand(store: OrgStore, args: Args): Promise<void> {
  const reason = args.get('reason') ?? ''
  const chosen = ['device', 'user', 'admin'].filter((f) => args.get(f) !== undefined)
  if (chosen.length !== 1) throw usageError('revoke needs exactly one of --device, --user, --admin')
  let body: LogEntryBody
  if (chosen[0] === 'device') {
    body = { type: 'revoke-device', deviceId: hexArg(args, 'device', 16), reason }
  } else if (chosen[0] === 'admin') {
    body = { type: 'revoke-admin', adminKey: hexArg(args, 'admin', 32), reason }
  } else body = { type: 'revoke-user', userId: args.require('user'), reason }
  args.assertAllUsed()
  if (body.type === 'revoke-device') {
    const { state } = await store.load()
    if (!state.devices.has(toHex(body.deviceId))) {
      throw new CliError(`no device ${toHex(body.deviceId)} in the org log (see "log show")`)
    }
  }
  const id = await appendOne(store, body)
  store.io.out(`${body.type} recorded as entry ${id}; run "publish" so every device hears it`)
}

export async function wipeCommand(store: OrgStore, args: Args): Promise<void> {
  const deviceId = hexArg(args, 'device', 16)
  const reason = args.get('reason') ?? ''
  args.assertAllUsed()
  const id = await appendOne(store, { type: 'wipe-device', deviceId, reason })
  store.io.out(`wipe-device recorded as entry ${id}; run "publish"`)
}

export async function roleCommand(store: OrgStore, args: Args): Promise<void> {
  const deviceId = hexArg(args, 'device', 16)
  const roles = parseRoles(args.require('roles', 'comma-separated roles, e.g. member,publisher'))
  args.assertAllUsed()
  const id = await appendOne(store, { type: 'set-roles', deviceId, roles })
  store.io.out(`set-roles recorded as entry ${id}`)
}

export async function policyCommand(store: OrgStore, args: Args): Promise<void> {
  const [sub, key, value] = args.positional.slice(1)
  if (sub !== 'set' || key === undefined || value === undefined) {
    throw usageError('usage: policy set KEY VALUE')
  }
  args.assertAllUsed()
  const id = await appendOne(store, { type: 'set-policy', key, value })
  store.io.out(`policy ${key} = ${value} recorded as entry ${id}`)
}

export async function channelCommand(store: OrgStore, args: Args): Promise<void> {
  const [sub, arg] = args.positional.slice(1)
  if (sub === 'create' && arg !== undefined) {
    const broadcast = args.bool('broadcast')
    const archived = args.bool('archived')
    args.assertAllUsed()
    const channelId = store.io.random(16)
    await appendOne(store, { type: 'create-channel', channelId, name: arg, broadcast, archived })
    store.io.out(toHex(channelId))
    return
  }
  if (sub === 'archive' && arg !== undefined) {
    args.assertAllUsed()
    let channelId: Uint8Array
    try {
      channelId = fromHex(arg)
    } catch {
      throw usageError('usage: channel archive CHANNEL_ID_HEX')
    }
    if (channelId.length !== 16) throw usageError('a channel id is 32 hex characters')
    const id = await appendOne(store, { type: 'archive-channel', channelId })
    store.io.out(`archive-channel recorded as entry ${id}`)
    return
  }
  throw usageError('usage: channel create NAME [--broadcast] [--archived] | channel archive ID')
}
