// Whether a device reads a channel, as the always-on peer judges it from the org state alone:
// the device is issued, not revoked (nor its user), its certificate is current, and the channel's
// entry lets it read (client/engine/channel-members.ts: every member device for a public or
// unlisted channel, the listed users' devices for a private one, the archiver for an archived one).

import type { OrgState } from '../../crypto/membership/org-state.ts'
import { deviceReads } from '../engine/channel-members.ts'

/** Hex device id and hex channel id; `now` in ms. Pure: the org state and clock are passed in. */
export function readsChannel(
  state: OrgState,
  deviceHex: string,
  channelHex: string,
  now: number,
): boolean {
  const device = state.devices.get(deviceHex)
  if (!device || !isActive(state, deviceHex, now)) return false
  return deviceReads(device, state.channels.get(channelHex))
}

/** Issued, not revoked (device or user), and inside its certificate's validity window. */
export function isActive(state: OrgState, deviceHex: string, now: number): boolean {
  const device = state.devices.get(deviceHex)
  if (!device) return false
  if (state.revokedDevices.has(deviceHex) || state.revokedUsers.has(device.userId)) return false
  return now >= device.notBefore && now <= device.notAfter
}
