// UI state slice for one channel: mirrors the engine into Solid signals and wraps its actions
// (no crypto, no sockets). Actions apply locally at once (the engine is local-first); a throw is
// rolled back into a readable error and the draft is kept.

import { type Accessor, batch, createSignal } from 'solid-js'
import type { SignalingStatus } from '../../transport/signaling-client.ts'
import {
  type Capabilities,
  capabilitiesOf,
  type EngineLike,
  type MessageItem,
  toMessageItems,
} from './channel-port.ts'

export interface ChannelStore {
  messages: Accessor<MessageItem[]>
  thread(id: string): MessageItem[]
  status: Accessor<SignalingStatus>
  peers: Accessor<number>
  /** Why the worker closed or refused the connection, if it said. */
  detail: Accessor<string | undefined>
  /** The last action that failed, for an alert. */
  error: Accessor<string | undefined>
  capabilities: Capabilities
  /** Other devices typing here now / with a live link here (hex ids). */
  typing: Accessor<string[]>
  present: Accessor<string[]>
  setTyping(on: boolean): void
  me: string
  /** Highest hlc among messages (top level and threads) this device has seen. */
  latestHlc(): number
  post(text: string, threadOf?: string): boolean
  edit(id: string, text: string): boolean
  remove(id: string): boolean
  react(id: string, emoji: string, on: boolean): boolean
  /** Tells the engine everything up to `hlc` was read here (read receipts). */
  acknowledgeRead(hlc: number): void
  setConnection(status: SignalingStatus, peers: number, detail?: string): void
  /** Called after every engine change (for unread counts, search, notifications). */
  onChange(listener: () => void): () => void
}

export function createChannelStore(engine: EngineLike): ChannelStore {
  const read = () => toMessageItems(engine.messages())
  const [messages, setMessages] = createSignal(read())
  const [version, setVersion] = createSignal(0)
  const [status, setStatus] = createSignal<SignalingStatus>('connecting')
  const [peers, setPeers] = createSignal(0)
  const [detail, setDetail] = createSignal<string>()
  const [error, setError] = createSignal<string>()
  const listeners = new Set<() => void>()
  const [typing, setTypingList] = createSignal<string[]>(engine.typing?.() ?? [])
  const [present, setPresent] = createSignal<string[]>(engine.present?.() ?? [])
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i])
  let lapse: ReturnType<typeof setTimeout> | undefined
  /** Typing signals lapse on the engine's clock: look again while anyone is typing. */
  const readEphemeral = () => {
    const t = engine.typing?.() ?? []
    const p = engine.present?.() ?? []
    if (!same(t, typing())) setTypingList(t)
    if (!same(p, present())) setPresent(p)
    clearTimeout(lapse)
    if (t.length) lapse = setTimeout(readEphemeral, 1_000)
  }
  engine.subscribe(() => {
    batch(() => {
      setMessages(read())
      setVersion((v) => v + 1)
      readEphemeral()
    })
    for (const l of listeners) l()
  })
  const attempt = (action: () => void): boolean => {
    try {
      action()
      setError(undefined)
      return true
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
      return false
    }
  }
  return {
    messages,
    thread(id) {
      version()
      return engine.thread ? toMessageItems(engine.thread(id)) : []
    },
    status,
    peers,
    detail,
    error,
    capabilities: capabilitiesOf(engine),
    typing,
    present,
    setTyping(on) {
      engine.setTyping?.(on)
    },
    me: engine.deviceIdHex,
    latestHlc() {
      let max = 0
      for (const m of messages()) max = Math.max(max, m.hlc)
      return max
    },
    post(text, threadOf) {
      const trimmed = text.trim()
      if (!trimmed) return false
      return attempt(() => engine.post(trimmed, threadOf ? { threadOf } : undefined))
    },
    edit(id, text) {
      const trimmed = text.trim()
      if (!trimmed || !engine.edit) return false
      return attempt(() => engine.edit!(id, trimmed))
    },
    remove(id) {
      return engine.remove ? attempt(() => engine.remove!(id)) : false
    },
    react(id, emoji, on) {
      return engine.react ? attempt(() => engine.react!(id, emoji, on)) : false
    },
    acknowledgeRead(hlc) {
      if (hlc <= 0) return
      if (engine.markRead) engine.markRead(hlc)
      else engine.acknowledge?.('read', hlc)
    },
    setConnection(s, p, d) {
      batch(() => {
        setStatus(s)
        setPeers(p)
        setDetail(d)
      })
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
