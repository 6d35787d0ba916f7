// UI state slice for one open channel: mirrors the engine into Solid signals (no crypto, no sockets).

import { type Accessor, createSignal } from 'solid-js'
import type { ChatMessage } from '../engine/chat-message.ts'
import type { ChannelEngine } from '../engine/channel-engine.ts'
import type { SignalingStatus } from '../transport/signaling-client.ts'

export interface ChannelStore {
  messages: Accessor<ChatMessage[]>
  status: Accessor<SignalingStatus>
  peers: Accessor<number>
  me: string
  post(text: string): void
  setConnection(status: SignalingStatus, peers: number): void
}

export function createChannelStore(engine: ChannelEngine): ChannelStore {
  const [messages, setMessages] = createSignal(engine.messages())
  const [status, setStatus] = createSignal<SignalingStatus>('connecting')
  const [peers, setPeers] = createSignal(0)
  engine.subscribe(() => setMessages(engine.messages()))
  return {
    messages,
    status,
    peers,
    me: engine.deviceIdHex,
    post(text) {
      const trimmed = text.trim()
      if (trimmed) engine.post(trimmed)
    },
    setConnection(s, p) {
      setStatus(s)
      setPeers(p)
    },
  }
}
