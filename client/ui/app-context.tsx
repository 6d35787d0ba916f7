// One provider for every UI store slice (solid-realworld style): views read stores from context
// and call their actions; only the composition root (client/main.tsx) builds them.

import { createContext, type JSX, useContext } from 'solid-js'
import type { ChannelsStore } from './channels/channels-store.ts'
import type { DeviceStore } from './device-store.ts'
import type { I18nStore } from './i18n/i18n.ts'
import type { LockStore } from './lock/lock-store.ts'
import type { OrgStore } from './members/org-store.ts'
import type { Route } from './route.ts'
import type { SearchHit } from './search/message-index.ts'
import type { SettingsStore } from './settings/settings-store.ts'
import type { SignalingStatus } from '../transport/signaling-client.ts'
import type { SavedChannel } from './channels/saved-channel.ts'
import type { VerifiedDevicesStore } from './verification/verified-devices.ts'

export interface NavStore {
  route(): Route
  navigate(hash: string): void
}

export interface ConnectionStore {
  /** The org-level signaling connection (admission, org log): the app's sync status. */
  status(): SignalingStatus
  online(): boolean
}

export interface AppStores {
  i18n: I18nStore
  settings: SettingsStore
  device: DeviceStore
  lock: LockStore
  org: OrgStore
  channels: ChannelsStore
  /** Local full-text search over every open channel (empty until the index has loaded). */
  search: { query(text: string): SearchHit[]; version(): number }
  nav: NavStore
  connection: ConnectionStore
  /** Colleagues' devices this device has verified (sealed at rest). */
  verified: VerifiedDevicesStore
  /** The DM with a member (the composition root knows how the pair's channel is addressed). */
  directChannel(peer: string, name: string): SavedChannel
}

const AppContext = createContext<AppStores>()

export function AppProvider(props: { stores: AppStores; children: JSX.Element }) {
  return <AppContext.Provider value={props.stores}>{props.children}</AppContext.Provider>
}

export function useApp(): AppStores {
  const stores = useContext(AppContext)
  if (!stores) throw new Error('AppProvider missing')
  return stores
}
