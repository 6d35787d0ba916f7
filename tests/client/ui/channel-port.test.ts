// The engine adapter reads both engine generations and distrusts odd values.
import { describe, expect, it } from 'vitest'
import {
  capabilitiesOf,
  type EngineLike,
  toMessageItem,
  toMessageItems,
} from '../../../client/ui/channels/channel-port.ts'

describe('channel port', () => {
  it('reads a sender-key engine view with reactions, replies and delivery', () => {
    const m = toMessageItem({
      id: 'x',
      author: 'a',
      text: 'hi',
      sentAt: 1,
      hlc: 2,
      edited: true,
      deleted: false,
      replies: 3,
      delivery: 'read',
      reactions: [{ emoji: '👍', count: 2, mine: true }, { emoji: 5 }],
    })
    expect(m).toMatchObject({ replies: 3, delivery: 'read', edited: true })
    expect(m?.reactions).toEqual([{ emoji: '👍', count: 2, mine: true }])
  })

  it('reads a walking-skeleton message and drops malformed ones', () => {
    expect(toMessageItem({ id: 'x', author: 'a', text: 't', sentAt: 1, hlc: 1 })).toMatchObject({
      reactions: [],
      replies: 0,
      delivery: undefined,
    })
    expect(toMessageItems([null, 5, { id: 1 }, { id: 'y', author: 'b', text: 't' }])).toHaveLength(
      1,
    )
    expect(toMessageItem({ id: 'x', author: 'a', text: 't', delivery: 'teleported' })?.delivery)
      .toBeUndefined()
  })

  it('capabilities follow the methods the engine has', () => {
    const base: EngineLike = {
      deviceIdHex: 'a',
      messages: () => [],
      post: () => 'id',
      subscribe: () => () => {},
    }
    expect(capabilitiesOf(base)).toEqual({
      threads: false,
      edit: false,
      remove: false,
      react: false,
      receipts: false,
    })
    expect(capabilitiesOf({ ...base, thread: () => [], markRead: () => {} })).toMatchObject({
      threads: true,
      receipts: true,
    })
  })
})
