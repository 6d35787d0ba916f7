// Delivery state of our own messages as this device can tell it: pending until a peer holds the
// envelope, sent after, relayed once a non-member holder took it; restored ones count as sent.
import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../client/engine/chat-message.ts'
import { DeliveryTracker } from '../../client/engine/delivery-tracker.ts'

const msg = (id: string) => ({ id }) as ChatMessage

describe('delivery tracker', () => {
  it('posted alone: pending; a peer takes it: sent; a relay holds it: relayed', () => {
    const t = new DeliveryTracker()
    t.posted('a')
    t.stored(t.takePending(), 1, false)
    expect(t.durable('a')).toBe(true)
    expect(t.state(msg('a'))).toBe('pending')
    expect(t.sent(1)).toBe(true)
    expect(t.sent(1)).toBe(false) // nothing new: no repaint
    expect(t.state(msg('a'))).toBe('sent')
    expect(t.relayed(1)).toBe(true)
    expect(t.state(msg('a'))).toBe('relayed')
  })

  it('a later envelope stays pending while an earlier one has left', () => {
    const t = new DeliveryTracker()
    t.posted('a')
    t.stored(t.takePending(), 1, true)
    t.posted('b')
    t.stored(t.takePending(), 2, false)
    expect([t.state(msg('a')), t.state(msg('b'))]).toEqual(['sent', 'pending'])
    expect(t.takePending()).toEqual([])
  })

  it('after a restart, messages restored from storage read as sent; new ones start pending', () => {
    const t = new DeliveryTracker()
    t.restarted()
    expect(t.durable('old')).toBe(false)
    expect(t.state(msg('old'))).toBe('sent')
    t.posted('new')
    t.stored(t.takePending(), 5, false)
    expect(t.state(msg('new'))).toBe('pending')
  })
})
