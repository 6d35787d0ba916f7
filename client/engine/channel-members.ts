// Who belongs to a channel, from the org state alone: every active device that reads channels
// (member, admin, publisher), plus the archiver (auditor) when the channel is archived. The org
// log has no per-channel member lists yet, so org channels are open to every member device.
// A direct conversation belongs to its two devices while both are active.

import { toHex } from '../../crypto/codec/bytes.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'

export function channelMembers(state: OrgState, channelId: Uint8Array): Set<string> {
  const channel = state.channels.get(toHex(channelId))
  const out = new Set<string>()
  for (const [id, d] of state.devices) {
    if (state.revokedDevices.has(id)) continue
    const reads = d.roles.has('member') || d.roles.has('admin') || d.roles.has('publisher')
    if (reads || (channel?.archived && d.roles.has('auditor'))) out.add(id)
  }
  return out
}

/** The devices of a direct conversation that are still active (certified and not revoked). */
export function directMembers(state: OrgState, devices: readonly string[]): Set<string> {
  const out = new Set<string>()
  for (const id of devices) {
    if (state.devices.has(id) && !state.revokedDevices.has(id)) out.add(id)
  }
  return out
}
