// Administration commands that append root-signed entries: `revoke`, `wipe`, `role`,
// `policy set` (channels: command-channel.ts).

import { fromHex, toHex } from '../../crypto/codec/bytes.ts'
import {
  appendOrgEntry,
  type LogEntry,
  type LogEntryBody,
  type OrgState,
  parseRoles,
  reduceOrgLog,
} from '../../crypto/membership/index.ts'
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

/** Loads, unlocks, appends root-signed entries (each on top of the previous), saves; returns ids. */
export async function appendEntries(
  store: OrgStore,
  bodies: (state: OrgState) => LogEntryBody[],
): Promise<string[]> {
  const { anchor, entries, state } = await store.load()
  const planned = bodies(state)
  const root = await store.unlock()
  const added: LogEntry[] = []
  for (const body of planned) {
    const now = reduceOrgLog(anchor, [...entries, ...added])
    added.push(appendOrgEntry(now, root.rootSecretKey, body, store.io.now()))
  }
  await store.save(root, [...entries, ...added])
  return added.map((e) => e.id)
}

async function appendOne(store: OrgStore, body: LogEntryBody): Promise<string> {
  return (await appendEntries(store, () => [body]))[0]
}

/**
 * A device key that is also an admin key (an admin's phone or laptop) loses both together: a
 * lost admin device must not keep signing admin entries, and a revoked admin must not keep a
 * working device. Returns the extra entries that pairing needs.
 */
function pairedRevocations(state: OrgState, body: LogEntryBody): LogEntryBody[] {
  const reason = 'reason' in body ? body.reason : ''
  const devices = [...state.devices.values()]
  const activeAdmin = (key: Uint8Array) =>
    state.admins.has(toHex(key)) && !state.revokedAdmins.has(toHex(key))
  const extra: LogEntryBody[] = []
  if (body.type === 'revoke-admin') {
    for (const d of devices) {
      if (
        toHex(d.signingPublicKey) === toHex(body.adminKey) &&
        !state.revokedDevices.has(toHex(d.deviceId))
      ) {
        extra.push({ type: 'revoke-device', deviceId: d.deviceId, reason })
      }
    }
  } else if (
    body.type === 'revoke-device' || body.type === 'wipe-device' || body.type === 'revoke-user'
  ) {
    const hit = devices.filter((d) =>
      body.type === 'revoke-user'
        ? d.userId === body.userId
        : toHex(d.deviceId) === toHex(body.deviceId)
    )
    for (const d of hit) {
      if (activeAdmin(d.signingPublicKey)) {
        extra.push({ type: 'revoke-admin', adminKey: d.signingPublicKey, reason })
      }
    }
  }
  return extra
}

async function revokeWithPairs(store: OrgStore, body: LogEntryBody): Promise<void> {
  const ids = await appendEntries(store, (state) => {
    if (body.type === 'revoke-device' || body.type === 'wipe-device') {
      if (!state.devices.has(toHex(body.deviceId))) {
        throw new CliError(`no device ${toHex(body.deviceId)} in the org log (see "log show")`)
      }
    }
    return [body, ...pairedRevocations(state, body)]
  })
  store.io.out(`${body.type} recorded as entry ${ids[0]}; run "publish" so every device hears it`)
  if (ids.length > 1) {
    store.io.out(`also revoked the matching admin key or device (${ids.length - 1} more entries)`)
  }
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
    store.io.err(
      'note: entries this admin signed that this log has not seen become void; if the admin ' +
        'worked live, run "pull" first',
    )
  } else body = { type: 'revoke-user', userId: args.require('user'), reason }
  args.assertAllUsed()
  await revokeWithPairs(store, body)
}

export async function wipeCommand(store: OrgStore, args: Args): Promise<void> {
  const deviceId = hexArg(args, 'device', 16)
  const reason = args.get('reason') ?? ''
  args.assertAllUsed()
  await revokeWithPairs(store, { type: 'wipe-device', deviceId, reason })
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
