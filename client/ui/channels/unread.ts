// Unread counting and the "new messages" marker: pure functions over message lists.

import type { MessageItem } from './channel-port.ts'

/** Messages from others, not deleted, newer than the read mark. */
export function unreadCount(
  messages: readonly MessageItem[],
  me: string,
  readUpTo: number,
): number {
  let n = 0
  for (const m of messages) if (m.author !== me && !m.deleted && m.hlc > readUpTo) n++
  return n
}

/** Id of the first message to put the "new messages" divider above, if any. */
export function firstUnreadId(
  messages: readonly MessageItem[],
  me: string,
  readUpTo: number,
): string | undefined {
  return messages.find((m) => m.author !== me && !m.deleted && m.hlc > readUpTo)?.id
}

/** Messages from others that arrived since `seenUpTo` (for notifications). */
export function arrivedSince(
  messages: readonly MessageItem[],
  me: string,
  seenUpTo: number,
): MessageItem[] {
  return messages.filter((m) => m.author !== me && !m.deleted && m.hlc > seenUpTo)
}
