// UI state slice for every channel on this device: the joined list (link channels and DMs, kept
// sealed), the org's channels from the org state, their open stores, read marks and unread counts.

import { type Accessor, createEffect, createMemo, createSignal } from 'solid-js'
import type { ChannelStore } from './channel-store.ts'
import type { MessageItem } from './channel-port.ts'
import { sameChannel, type SavedChannel } from './saved-channel.ts'
import { arrivedSince, unreadCount } from './unread.ts'

export interface ChannelEntry {
  key: string
  kind: 'link' | 'dm' | 'org'
  name: string
  broadcast: boolean
  /** An org channel only its listed members read. */
  private: boolean
  /** False in a broadcast channel for a device without the publisher or admin role. */
  canPost: boolean
}

export interface OrgChannelInfo {
  key: string
  /** Hex channel id. */
  channel: string
  name: string
  broadcast: boolean
  private: boolean
  retired: boolean
}

/** Supplied by the composition root: how a saved channel becomes a running session. */
export interface ChannelOpener {
  keyOf(saved: SavedChannel): string
  open(saved: SavedChannel): Promise<ChannelStore>
}

/** Sealed persistence of the joined list and the read marks (composition root). */
export interface ChannelPersistence {
  load(): { channels: SavedChannel[]; readMarks: Record<string, number> }
  save(channels: SavedChannel[], readMarks: Record<string, number>): void
}

export interface ChannelsStore {
  entries: Accessor<ChannelEntry[]>
  store(key: string): ChannelStore | undefined
  failure(key: string): string | undefined
  unread(key: string): number
  readMark(key: string): number
  markRead(key: string): void
  /** Adds the channel if new and opens it; returns its key. */
  join(saved: SavedChannel): string
  /** Channel name for a key (for search results and notifications). */
  nameOf(key: string): string
  /** Every open store with its key. */
  openStores(): { key: string; store: ChannelStore }[]
}

export interface ChannelsDeps {
  opener: ChannelOpener
  persistence: ChannelPersistence
  orgChannels: Accessor<OrgChannelInfo[]>
  canPublish: Accessor<boolean>
  /** Called with messages from others that arrived in a channel (notifications). */
  onArrived?(key: string, messages: MessageItem[]): void
  /** Called once a channel opens and after every change in it (search indexing). */
  onChange?(key: string, store: ChannelStore): void
  /** When to start opening channels (the browser waits for the first paint). */
  schedule?(task: () => void): void
}

export function createChannelsStore(deps: ChannelsDeps): ChannelsStore {
  const loaded = deps.persistence.load()
  const [saved, setSaved] = createSignal<SavedChannel[]>(loaded.channels)
  const [readMarks, setReadMarks] = createSignal<Record<string, number>>(loaded.readMarks)
  const [stores, setStores] = createSignal<Record<string, ChannelStore>>({})
  const [failures, setFailures] = createSignal<Record<string, string>>({})
  const [tick, setTick] = createSignal(0)
  const persist = () => deps.persistence.save(saved(), readMarks())

  const opening = new Set<string>()
  const open = (s: SavedChannel) => {
    const key = deps.opener.keyOf(s)
    if (opening.has(key)) return
    opening.add(key)
    deps.opener.open(s).then((store) => {
      let seen = store.latestHlc()
      store.onChange(() => {
        setTick((t) => t + 1)
        const fresh = arrivedSince(store.messages(), store.me, seen)
        seen = Math.max(seen, store.latestHlc())
        if (fresh.length) deps.onArrived?.(key, fresh)
        deps.onChange?.(key, store)
      })
      deps.onChange?.(key, store)
      setStores((all) => ({ ...all, [key]: store }))
    }, (e: unknown) => {
      opening.delete(key)
      setFailures((all) => ({ ...all, [key]: e instanceof Error ? e.message : String(e) }))
    })
  }
  const [started, setStarted] = createSignal(false)
  ;(deps.schedule ?? ((task) => task()))(() => setStarted(true))
  createEffect(() => {
    if (!started()) return
    for (const s of saved()) open(s)
    // Org channels open as they appear in the org log (the engine holds their sender keys).
    for (const c of deps.orgChannels()) {
      if (!c.retired) open({ kind: 'org', name: c.name, channel: c.channel })
    }
  })

  const entries = createMemo<ChannelEntry[]>(() => {
    const joined: ChannelEntry[] = saved().map((s) => ({
      key: deps.opener.keyOf(s),
      kind: s.kind,
      name: s.name,
      broadcast: false,
      private: false,
      canPost: true,
    }))
    const org: ChannelEntry[] = deps.orgChannels().filter((c) => !c.retired).map((c) => ({
      key: c.key,
      kind: 'org',
      name: c.name,
      broadcast: c.broadcast,
      private: c.private,
      canPost: !c.broadcast || deps.canPublish(),
    }))
    return [...org, ...joined]
  })

  return {
    entries,
    store: (key) => stores()[key],
    failure: (key) => failures()[key],
    unread(key) {
      tick()
      const s = stores()[key]
      return s ? unreadCount(s.messages(), s.me, readMarks()[key] ?? 0) : 0
    },
    readMark: (key) => readMarks()[key] ?? 0,
    markRead(key) {
      const s = stores()[key]
      if (!s) return
      const hlc = s.latestHlc()
      if ((readMarks()[key] ?? 0) < hlc) {
        setReadMarks((all) => ({ ...all, [key]: hlc }))
        persist()
      }
      s.acknowledgeRead(hlc)
    },
    join(s) {
      if (s.kind !== 'org' && !saved().some((x) => sameChannel(x, s))) {
        setSaved((all) => [...all, s])
        persist()
      }
      open(s)
      return deps.opener.keyOf(s)
    },
    nameOf: (key) => entries().find((e) => e.key === key)?.name ?? '',
    openStores: () => Object.entries(stores()).map(([key, store]) => ({ key, store })),
  }
}
