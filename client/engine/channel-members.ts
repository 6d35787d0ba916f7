// Who belongs to a channel, from the org state alone: every active device that reads channels
// (member, admin, publisher), plus the archiver (auditor) when the channel is archived. The org
// log has no per-channel member lists yet, so org channels are open to every member device.

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
