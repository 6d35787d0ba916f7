// The local search index follows edits and deletions and finds messages across channels.
import { describe, expect, it } from 'vitest'
import type { MessageItem } from '../../../client/ui/channels/channel-port.ts'
import { MessageIndex } from '../../../client/ui/search/message-index.ts'

const author = 'c'.repeat(32)
const msg = (id: string, text: string, extra: Partial<MessageItem> = {}): MessageItem => ({
  id,
  author,
  text,
  sentAt: 1,
  hlc: 1,
  edited: false,
  deleted: false,
  reactions: [],
  replies: 0,
  ...extra,
})

describe('message index', () => {
  it('finds a message from another channel, by prefix, as you type', () => {
    const index = new MessageIndex()
    index.syncChannel('general', [msg('1', 'lunch at noon')])
    index.syncChannel('random', [msg('2', 'the generator needs diesel')])
    const hits = index.search('gener')
    expect(hits.map((h) => [h.channel, h.id])).toEqual([['random', '2']])
    expect(index.search('')).toEqual([])
  })

  it('an edit replaces the indexed text; a deletion or disappearance removes it', () => {
    const index = new MessageIndex()
    index.syncChannel('ops', [msg('1', 'meet at the dock'), msg('2', 'bring rope')])
    index.syncChannel('ops', [
      msg('1', 'meet at the harbour', { edited: true }),
      msg('2', 'bring rope'),
    ])
    expect(index.search('dock')).toEqual([])
    expect(index.search('harbour')).toHaveLength(1)
    index.syncChannel('ops', [msg('1', '', { deleted: true })])
    expect(index.search('harbour')).toEqual([])
    expect(index.search('rope')).toEqual([])
    expect(index.size).toBe(0)
  })

  it('the same message id in two channels is two documents', () => {
    const index = new MessageIndex()
    index.syncChannel('a', [msg('1', 'shared words')])
    index.syncChannel('b', [msg('1', 'shared words')])
    expect(index.search('shared')).toHaveLength(2)
  })
})
