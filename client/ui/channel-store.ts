// UI state slice for one open channel: mirrors the engine into Solid signals (no crypto, no sockets).

import { type Accessor, createSignal } from 'solid-js'
import type { ChatMessage } from '../engine/chat-message.ts'
import type { ChannelEngine } from '../engine/channel-engine.ts'
import type { SignalingStatus } from '../transport/signaling-client.ts'

export interface ChannelStore {
  messages: Accessor<ChatMessage[]>
  status: Accessor<SignalingStatus>
  peers: Accessor<number>
  /** Why the worker closed or refused the connection, if it said. */
  detail: Accessor<string | undefined>
  me: string
  post(text: string): void
  setConnection(status: SignalingStatus, peers: number, detail?: string): void
}

export function createChannelStore(engine: ChannelEngine): ChannelStore {
  const [messages, setMessages] = createSignal(engine.messages())
  const [status, setStatus] = createSignal<SignalingStatus>('connecting')
  const [peers, setPeers] = createSignal(0)
  const [detail, setDetail] = createSignal<string>()
  engine.subscribe(() => setMessages(engine.messages()))
  return {
    messages,
    status,
    peers,
    detail,
    me: engine.deviceIdHex,
    post(text) {
      const trimmed = text.trim()
      if (trimmed) engine.post(trimmed)
    },
    setConnection(s, p, d) {
      setStatus(s)
      setPeers(p)
      setDetail(d)
    },
  }
}
