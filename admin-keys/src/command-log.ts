// `log show`, `log verify`, `log export --format jsonl`, and `publish` (POST the log to a
// signaling worker's /org/log as one bundle).

import { toHex, utf8 } from '../../crypto/codec/bytes.ts'
import { decodeLogBundle, encodeLogBundle, reduceOrgLog } from '../../crypto/membership/index.ts'
import type { Args } from './args.ts'
import { type AuditRecord, auditRecord } from './audit-record.ts'
import { CliError, usageError } from './cli-io.ts'
import type { OrgStore } from './org-store.ts'

export async function logCommand(store: OrgStore, args: Args): Promise<void> {
  const sub = args.positional[1]
  if (sub === 'show') {
    args.assertAllUsed()
    const { state } = await store.load()
    state.log.forEach((e, i) => {
      const r = auditRecord(state, e, i + 1)
      const subject = [r.user, r.device?.slice(0, 12), r.target?.slice(0, 24), channelSummary(r)]
        .filter(Boolean)
      store.io.out(
        `${String(i + 1).padStart(4)}  ${r.time}  ${r.action.padEnd(15)}  by ${r.by.role}${
          r.by.name ? ` ${r.by.name}` : ''
        }  ${subject.join(' ')}  ${r.id.slice(0, 12)}`,
      )
    })
    return
  }
  if (sub === 'verify') {
    args.assertAllUsed()
    const { state } = await store.load()
    const active = [...state.devices.keys()].filter((id) => !state.revokedDevices.has(id)).length
    store.io.out(
      `ok: ${state.log.length} entries verified, ${state.heads.length} head(s), ${active} active ` +
        `device(s), ${state.revokedDevices.size} revoked, ${state.admins.size} admin(s)`,
    )
    return
  }
  if (sub === 'export') {
    const format = args.get('format') ?? 'jsonl'
    const out = args.get('out')
    args.assertAllUsed()
    if (format !== 'jsonl') throw usageError('only --format jsonl is supported')
    const { state } = await store.load()
    const lines = state.log.map((e, i) => JSON.stringify(auditRecord(state, e, i + 1)))
    if (out) {
      await store.io.writeFileAtomic(out, utf8(lines.map((l) => l + '\n').join('')))
      store.io.err(`${lines.length} entries written to ${out}`)
    } else lines.forEach((l) => store.io.out(l))
    return
  }
  throw usageError('usage: log show | log verify | log export --format jsonl [--out FILE]')
}

/** `#name [private,broadcast] members: a b` or `#name +a +b -c` for channel entries. */
function channelSummary(r: AuditRecord): string | null {
  const d = r.details as { name?: string; add?: string[]; remove?: string[]; members?: string[] }
  if (r.action === 'create-channel') {
    const flags = [d.members ? 'private' : 'public']
    if (r.details.broadcast) flags.push('broadcast')
    if (r.details.archived) flags.push('archived')
    const members = d.members ? ` members: ${d.members.join(' ') || '-'}` : ''
    return `#${d.name} [${flags.join(',')}]${members}`
  }
  if (r.action === 'channel-members') {
    const changes = [...d.add!.map((u) => `+${u}`), ...d.remove!.map((u) => `-${u}`)]
    return `#${d.name ?? '?'} ${changes.join(' ')}`
  }
  return null
}

export async function publishCommand(store: OrgStore, args: Args): Promise<void> {
  const url = args.require('signaling', 'the signaling worker URL').replace(/\/+$/, '')
  args.assertAllUsed()
  const { state } = await store.load()
  const target = `${url.replace(/^ws(s?):/, 'http$1:')}/org/log`
  let response
  try {
    response = await store.io.post(target, encodeLogBundle([...state.log]))
  } catch (e) {
    throw new CliError(`could not reach ${target}: ${(e as Error).message}`)
  }
  if (response.status < 200 || response.status >= 300) {
    throw new CliError(
      `${target} refused the log (HTTP ${response.status}): ${response.text.slice(0, 200)}`,
    )
  }
  store.io.out(`published ${state.log.length} entries to ${target} (HTTP ${response.status})`)
}

/**
 * `pull --signaling URL`: bring in the entries live admin devices published, so the root's next
 * entries (above all a `revoke-admin`) have them in their causal past — an admin's entries that a
 * revocation has not seen are void (docs/protocol/membership.md §9 rule 4). Entries that would
 * not apply here (void, forged, orphaned) are left out and counted.
 */
export async function pullCommand(store: OrgStore, args: Args): Promise<void> {
  const url = args.require('signaling', 'the signaling worker URL').replace(/\/+$/, '')
  args.assertAllUsed()
  const { anchor, entries, state } = await store.load()
  const heads = state.heads.map(toHex).join(',')
  const target = `${url.replace(/^ws(s?):/, 'http$1:')}/org/log${heads ? `?heads=${heads}` : ''}`
  let response
  try {
    response = await store.io.get(target)
  } catch (e) {
    throw new CliError(`could not reach ${target}: ${(e as Error).message}`)
  }
  if (response.status !== 200) throw new CliError(`${target} answered HTTP ${response.status}`)
  let remote
  try {
    remote = decodeLogBundle(response.body)
  } catch (e) {
    throw new CliError(`${target} sent a malformed bundle (${(e as Error).message})`)
  }
  const known = new Set(entries.map((e) => e.id))
  const fresh = remote.filter((e) => !known.has(e.id))
  // Keep what applies; drop what does not, and anything that then lacks an ancestor.
  let merged = reduceOrgLog(anchor, [...entries, ...fresh])
  for (let i = 0; i < 8 && (merged.rejected.length || merged.pending.length); i++) {
    merged = reduceOrgLog(anchor, merged.log)
  }
  const taken = merged.log.filter((e) => !known.has(e.id))
  const lost = entries.filter((e) => !merged.log.some((m) => m.id === e.id))
  if (lost.length) {
    throw new CliError(`pulling would void ${lost.length} local entries; nothing changed`)
  }
  if (taken.length === 0) {
    store.io.out(`up to date (${fresh.length} new remote entries, none applicable)`)
    return
  }
  const root = await store.unlock()
  await store.save(root, [...merged.log])
  store.io.out(`pulled ${taken.length} entries; left out ${fresh.length - taken.length}`)
}
