// The shape of a chat message inside a channel's Yjs document, and its validation.

export interface ChatMessage {
  id: string
  /** Hex device id of the author. */
  author: string
  text: string
  /** Author's wall clock when sent (ms since epoch), for display. */
  sentAt: number
  /**
   * Hybrid logical clock: max(wall clock, highest hlc the author had seen + 1). Display order is
   * (hlc, id), so a reply never sorts above what it answers even when clocks disagree.
   */
  hlc: number
}

export const MAX_TEXT_LENGTH = 16_000

/** Values come from peers: accept only well-formed messages, drop everything else. */
export function asChatMessage(value: unknown): ChatMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  if (typeof v.id !== 'string' || v.id.length > 64) return undefined
  if (typeof v.author !== 'string' || !/^[0-9a-f]{32}$/.test(v.author)) return undefined
  if (typeof v.text !== 'string' || v.text.length > MAX_TEXT_LENGTH) return undefined
  if (typeof v.sentAt !== 'number' || !Number.isFinite(v.sentAt)) return undefined
  if (typeof v.hlc !== 'number' || !Number.isSafeInteger(v.hlc)) return undefined
  return { id: v.id, author: v.author, text: v.text, sentAt: v.sentAt, hlc: v.hlc }
}

export function compareMessages(a: ChatMessage, b: ChatMessage): number {
  return a.hlc - b.hlc || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}
