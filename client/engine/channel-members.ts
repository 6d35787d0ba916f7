// Who belongs to a channel, from the org state alone. A public org channel: every active device
// that reads channels (member, admin, publisher). A private one: those of them whose user the
// channel's member list names. Either way the archiver (auditor) reads an archived channel. A
// direct conversation belongs to its two devices while both are active.

import { toHex } from '../../crypto/codec/bytes.ts'
import type { ChannelRecord, DeviceRecord, OrgState } from '../../crypto/membership/org-state.ts'

export function channelMembers(state: OrgState, channelId: Uint8Array): Set<string> {
  const channel = state.channels.get(toHex(channelId))
  const out = new Set<string>()
  for (const [id, d] of state.devices) {
    if (!state.revokedDevices.has(id) && deviceReads(d, channel)) out.add(id)
  }
  return out
}

/** Whether `device` (hex id) is active and reads the org channel `channelHex`. */
export function readsChannel(state: OrgState, device: string, channelHex: string): boolean {
  const d = state.devices.get(device)
  const channel = state.channels.get(channelHex)
  return !!d && !!channel && !state.revokedDevices.has(device) && deviceReads(d, channel)
}

/** Whether an active device reads a channel (`channel` undefined: not in the log yet). */
export function deviceReads(d: DeviceRecord, channel: ChannelRecord | undefined): boolean {
  const reads = d.roles.has('member') || d.roles.has('admin') || d.roles.has('publisher')
  if (reads && (!channel?.private || channel.members.has(d.userId))) return true
  return (channel?.archived ?? false) && d.roles.has('auditor')
}

/** The devices of a direct conversation that are still active (certified and not revoked). */
export function directMembers(state: OrgState, devices: readonly string[]): Set<string> {
  const out = new Set<string>()
  for (const id of devices) {
    if (state.devices.has(id) && !state.revokedDevices.has(id)) out.add(id)
  }
  return out
}
