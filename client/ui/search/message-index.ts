// Local full-text index over every open channel's messages (MiniSearch): kept current by
// diffing each channel's messages on change, queried as you type (prefix and fuzzy matching).

import MiniSearch from 'minisearch'
import type { MessageItem } from '../channels/channel-port.ts'

export interface SearchHit {
  id: string
  channel: string
  author: string
  text: string
  sentAt: number
}

interface IndexedMessage extends SearchHit {
  key: string
}

export class MessageIndex {
  private readonly index = new MiniSearch<IndexedMessage>({
    idField: 'key',
    fields: ['text'],
    storeFields: ['id', 'channel', 'author', 'text', 'sentAt'],
    searchOptions: { prefix: true, fuzzy: 0.15, combineWith: 'AND' },
  })
  /** key -> indexed text, to notice edits and deletions. */
  private readonly indexed = new Map<string, string>()

  /** Brings one channel's documents in line with `messages`. */
  syncChannel(channel: string, messages: readonly MessageItem[]): void {
    const present = new Set<string>()
    for (const m of messages) {
      const key = `${channel}\u0000${m.id}`
      present.add(key)
      const text = m.deleted ? '' : m.text
      const before = this.indexed.get(key)
      if (before === text) continue
      if (before !== undefined) this.index.discard(key)
      this.indexed.delete(key)
      if (!text) continue
      this.index.add({ key, id: m.id, channel, author: m.author, text, sentAt: m.sentAt })
      this.indexed.set(key, text)
    }
    const prefix = `${channel}\u0000`
    for (const key of [...this.indexed.keys()]) {
      if (key.startsWith(prefix) && !present.has(key)) {
        this.index.discard(key)
        this.indexed.delete(key)
      }
    }
  }

  search(query: string, limit = 50): SearchHit[] {
    const q = query.trim()
    if (!q) return []
    return this.index.search(q).slice(0, limit).map((r) => ({
      id: r.id as string,
      channel: r.channel as string,
      author: r.author as string,
      text: r.text as string,
      sentAt: r.sentAt as number,
    }))
  }

  get size(): number {
    return this.indexed.size
  }
}
