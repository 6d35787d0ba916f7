// Unread counts and the "new messages" divider.
import { describe, expect, it } from 'vitest'
import type { MessageItem } from '../../../client/ui/channels/channel-port.ts'
import { arrivedSince, firstUnreadId, unreadCount } from '../../../client/ui/channels/unread.ts'

const me = 'a'.repeat(32)
const them = 'b'.repeat(32)
const msg = (id: string, author: string, hlc: number, deleted = false): MessageItem => ({
  id,
  author,
  text: id,
  sentAt: hlc,
  hlc,
  edited: false,
  deleted,
  reactions: [],
  replies: 0,
})

describe('unread', () => {
  const list = [
    msg('1', them, 10),
    msg('2', me, 20),
    msg('3', them, 30),
    msg('4', them, 40, true),
    msg('5', them, 50),
  ]

  it('counts messages from others after the read mark, not our own or deleted ones', () => {
    expect(unreadCount(list, me, 0)).toBe(3)
    expect(unreadCount(list, me, 30)).toBe(1)
    expect(unreadCount(list, me, 50)).toBe(0)
  })

  it('puts the divider above the first unread message', () => {
    expect(firstUnreadId(list, me, 15)).toBe('3')
    expect(firstUnreadId(list, me, 50)).toBeUndefined()
  })

  it('lists what arrived since a mark (for notifications)', () => {
    expect(arrivedSince(list, me, 30).map((m) => m.id)).toEqual(['5'])
  })
})
