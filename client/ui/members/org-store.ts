// UI state slice for the organisation as this device's org log says it is: members (active
// devices), the org's channels, and this device's roles. Fed by the composition root.

import { type Accessor, createMemo, createSignal } from 'solid-js'
import { toHex } from '../../../crypto/codec/bytes.ts'
import { activeDevices, type OrgState } from '../../../crypto/membership/org-state.ts'
import { deviceReads } from '../../engine/channel-members.ts'
import type { OrgChannelInfo } from '../channels/channels-store.ts'
import type { VerifiableIdentity } from '../verification/safety-number.ts'

export interface Member extends VerifiableIdentity {
  /** Hex device id. */
  device: string
  userId: string
  displayName: string
  roles: string[]
}

export function membersOf(state: OrgState | undefined): Member[] {
  if (!state) return []
  return activeDevices(state).map((d) => ({
    device: toHex(d.deviceId),
    deviceId: d.deviceId,
    userId: d.userId,
    displayName: d.displayName,
    roles: [...d.roles].sort(),
    signingPublicKey: d.signingPublicKey,
    identityDhPublicKey: d.identityDhPublicKey,
  })).sort((a, b) => a.displayName.localeCompare(b.displayName) || (a.device < b.device ? -1 : 1))
}

/** The org's channels this device reads (a private channel lists only its members' devices). */
export function orgChannelsOf(state: OrgState | undefined, me: string): OrgChannelInfo[] {
  const device = state?.devices.get(me)
  if (!state || !device || state.revokedDevices.has(me)) return []
  return [...state.channels.values()].filter((c) => deviceReads(device, c)).map((c) => ({
    key: `org-${toHex(c.channelId)}`,
    channel: toHex(c.channelId),
    name: c.name,
    broadcast: c.broadcast,
    private: c.private,
    retired: c.retired,
  })).sort((a, b) => a.name.localeCompare(b.name))
}

export interface OrgStore {
  state: Accessor<OrgState | undefined>
  setState(state: OrgState): void
  members: Accessor<Member[]>
  channels: Accessor<OrgChannelInfo[]>
  /** Hex id of this device. */
  me: string
  self: Accessor<Member | undefined>
  /** Publisher or admin: may post in broadcast channels. */
  canPublish: Accessor<boolean>
  /** Display name for a device id, falling back to a short id. */
  nameOf(device: string): string | undefined
  /** A private channel's members by display name (user id when no device of theirs is active). */
  privateMembers(channelHex: string): string[]
}

export function createOrgStore(me: string, initial: OrgState | undefined): OrgStore {
  const [state, setState] = createSignal(initial, { equals: false })
  const members = createMemo(() => membersOf(state()))
  const byDevice = createMemo(() => new Map(members().map((m) => [m.device, m])))
  const self = createMemo(() => byDevice().get(me))
  return {
    state,
    setState,
    members,
    channels: createMemo(() => orgChannelsOf(state(), me)),
    me,
    self,
    canPublish: () => {
      const roles = self()?.roles ?? []
      return roles.includes('publisher') || roles.includes('admin')
    },
    nameOf: (device) => byDevice().get(device)?.displayName,
    privateMembers(channelHex) {
      const channel = state()?.channels.get(channelHex)
      if (!channel?.private) return []
      const names = new Map<string, string>()
      for (const m of members()) {
        if (channel.members.has(m.userId)) names.set(m.userId, m.displayName)
      }
      return [...channel.members].map((u) => names.get(u) ?? u).sort((a, b) => a.localeCompare(b))
    },
  }
}
