// The shapes of a channel document's entries (docs/protocol/client.md §Channel document) and the
// view model the UI renders. Values come from peers: every reader validates, never trusts.

export const MAX_TEXT_LENGTH = 16_000
export const MAX_EMOJI_LENGTH = 32
export const MAX_REACTIONS_PER_AUTHOR = 32

export type DeliveryState = 'pending' | 'sent' | 'relayed' | 'delivered' | 'read'

export interface ChatMessage {
  /** `${author}:${nonce}`: the key of the entry, owned by its author. */
  id: string
  /** Hex device id of the author (taken from the key, never from the value). */
  author: string
  text: string
  /** Author's wall clock when first sent (ms since epoch), for display. */
  sentAt: number
  /**
   * Hybrid logical clock: max(wall clock, highest hlc the author had seen + 1). Display order is
   * (hlc, id), so a reply never sorts above what it answers even when clocks disagree.
   */
  hlc: number
  /** The message this one replies to in a thread. */
  threadOf?: string
  edited: boolean
  deleted: boolean
}

export interface MessageView extends ChatMessage {
  reactions: { emoji: string; count: number; mine: boolean }[]
  replies: number
  delivery: DeliveryState
}

/** The stored value of a `messages` entry (JSON inside a Yjs map). */
export interface MessageValue {
  text: string
  sentAt: number
  hlc: number
  threadOf?: string
  editedAt?: number
  deleted?: true
}

const DEVICE_HEX = /^[0-9a-f]{32}$/

/** `${deviceHex}:${rest}` -> deviceHex, or undefined for a malformed key. */
export function ownerOf(key: string): string | undefined {
  const owner = key.slice(0, 32)
  return key[32] === ':' && DEVICE_HEX.test(owner) ? owner : undefined
}

export function asChatMessage(id: string, value: unknown): ChatMessage | undefined {
  const author = ownerOf(id)
  if (!author || id.length > 100 || typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  if (typeof v.text !== 'string' || v.text.length > MAX_TEXT_LENGTH) return undefined
  if (typeof v.sentAt !== 'number' || !Number.isFinite(v.sentAt)) return undefined
  if (typeof v.hlc !== 'number' || !Number.isSafeInteger(v.hlc)) return undefined
  if (v.threadOf !== undefined && (typeof v.threadOf !== 'string' || !ownerOf(v.threadOf))) {
    return undefined
  }
  const deleted = v.deleted === true
  return {
    id,
    author,
    text: deleted ? '' : v.text,
    sentAt: v.sentAt,
    hlc: v.hlc,
    threadOf: v.threadOf as string | undefined,
    edited: typeof v.editedAt === 'number',
    deleted,
  }
}

/** A `reactions` entry `${author}:${messageId}` holds the author's current emoji on it. */
export function asReactionSet(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_REACTIONS_PER_AUTHOR) return []
  return value.filter((e): e is string => typeof e === 'string' && e.length <= MAX_EMOJI_LENGTH)
}

/** A `receipts` entry `${author}:` holds watermarks: hlc delivered up to and read up to. */
export function asReceipt(value: unknown): { delivered: number; read: number } {
  if (typeof value !== 'object' || value === null) return { delivered: 0, read: 0 }
  const v = value as Record<string, unknown>
  const n = (x: unknown) => (typeof x === 'number' && Number.isSafeInteger(x) ? x : 0)
  return { delivered: n(v.delivered), read: n(v.read) }
}

export function compareMessages(a: ChatMessage, b: ChatMessage): number {
  return a.hlc - b.hlc || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}
