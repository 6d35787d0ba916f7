// What the UI needs from a channel engine, and an adapter that reads whichever engine version is
// running: the walking-skeleton engine (post and messages only) or the sender-key engine (threads,
// edits, deletes, reactions, receipts, delivery state). Missing features come back as absent
// capabilities, so views hide the controls instead of failing.

export type DeliveryState = 'pending' | 'sent' | 'relayed' | 'delivered' | 'read'

export interface Reaction {
  emoji: string
  count: number
  mine: boolean
}

export interface MessageItem {
  id: string
  /** Hex device id of the author. */
  author: string
  text: string
  sentAt: number
  hlc: number
  threadOf?: string
  edited: boolean
  deleted: boolean
  reactions: Reaction[]
  replies: number
  /** Only for our own messages, and only when the engine reports it. */
  delivery?: DeliveryState
}

/** The structural surface of a channel engine (both generations). */
export interface EngineLike {
  readonly deviceIdHex: string
  messages(): readonly unknown[]
  post(text: string, opts?: { threadOf?: string }): string
  subscribe(listener: () => void): () => void
  thread?(id: string): readonly unknown[]
  edit?(id: string, text: string): void
  remove?(id: string): void
  react?(id: string, emoji: string, on: boolean): void
  /** Marks everything up to `hlc` as read (read receipts). */
  markRead?(hlc: number): void
  acknowledge?(kind: 'delivered' | 'read', hlc: number): void
  /** Ephemeral typing signal to directly linked peers. */
  setTyping?(on: boolean): void
  /** Other devices typing here now, and other devices with a live link here (hex ids). */
  typing?(): string[]
  present?(): string[]
}

export interface Capabilities {
  threads: boolean
  edit: boolean
  remove: boolean
  react: boolean
  receipts: boolean
}

export function capabilitiesOf(engine: EngineLike): Capabilities {
  return {
    threads: typeof engine.thread === 'function',
    edit: typeof engine.edit === 'function',
    remove: typeof engine.remove === 'function',
    react: typeof engine.react === 'function',
    receipts: typeof engine.markRead === 'function' || typeof engine.acknowledge === 'function',
  }
}

const DELIVERY = new Set(['pending', 'sent', 'relayed', 'delivered', 'read'])

/** Normalises an engine message (old ChatMessage or new MessageView) into a MessageItem. */
export function toMessageItem(value: unknown): MessageItem | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  if (typeof v.id !== 'string' || typeof v.author !== 'string' || typeof v.text !== 'string') {
    return undefined
  }
  const reactions = Array.isArray(v.reactions)
    ? v.reactions.filter((r): r is Reaction =>
      typeof r === 'object' && r !== null && typeof (r as Reaction).emoji === 'string' &&
      typeof (r as Reaction).count === 'number'
    ).map((r) => ({ emoji: r.emoji, count: r.count, mine: r.mine === true }))
    : []
  return {
    id: v.id,
    author: v.author,
    text: v.text,
    sentAt: typeof v.sentAt === 'number' ? v.sentAt : 0,
    hlc: typeof v.hlc === 'number' ? v.hlc : 0,
    threadOf: typeof v.threadOf === 'string' ? v.threadOf : undefined,
    edited: v.edited === true,
    deleted: v.deleted === true,
    reactions,
    replies: typeof v.replies === 'number' ? v.replies : 0,
    delivery: typeof v.delivery === 'string' && DELIVERY.has(v.delivery)
      ? v.delivery as DeliveryState
      : undefined,
  }
}

export function toMessageItems(values: readonly unknown[]): MessageItem[] {
  const out: MessageItem[] = []
  for (const v of values) {
    const m = toMessageItem(v)
    if (m) out.push(m)
  }
  return out
}
