// One signaling socket per page: each user's topics ride on it, publishes reach only the ports of
// their topic, worker messages arrive once, and a reconnect replays every topic in one frame before
// anyone announces again. The worker is played by a fake socket.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SharedSignaling } from '../../client/transport/shared-signaling.ts'
import type { SignalingMessage } from '../../client/transport/signaling-client.ts'
import { answerChallenge, FakeSignalingSocket, fakeWebSocket } from './fake-signaling-socket.ts'

const general = 'a1'.repeat(32)
const ops = 'b2'.repeat(32)
const dm = 'c3'.repeat(32)

beforeEach(() => {
  FakeSignalingSocket.reset()
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

function page() {
  const workerMessages: SignalingMessage[] = []
  const signaling = new SharedSignaling({
    url: 'ws://worker/',
    answerChallenge,
    onWorkerMessage: (m) => workerMessages.push(m),
    WebSocketImpl: fakeWebSocket,
  })
  /** A port that logs what it hears as `name:topic` or `name:open`. */
  const log: string[] = []
  const user = (name: string) =>
    signaling.port({
      message: (m) => log.push(`${name}:${m.topic}`),
      open: () => log.push(`${name}:open`),
    })
  return { signaling, workerMessages, log, user }
}

describe('one signaling socket shared by the page', () => {
  it('routes each publish to the ports of its topic, and worker messages once', () => {
    const { signaling, workerMessages, log, user } = page()
    user('general').subscribe(general)
    user('ops').subscribe(ops)
    // The DM's mesh and the doorbell watcher hold the same topic.
    user('dm').subscribe(dm)
    user('doorbell').subscribe(dm)
    signaling.connect()
    const socket = FakeSignalingSocket.last
    socket.admit()
    log.length = 0

    socket.relay(ops, { type: 'announce', from: 'p1' })
    socket.relay(dm, { type: 'announce', from: 'p2' })
    socket.relay('ee'.repeat(32), { type: 'announce', from: 'p3' })
    expect(log).toEqual(['ops:' + ops, 'dm:' + dm, 'doorbell:' + dm])

    socket.receive({ type: 'org-log', entries: '', heads: [] })
    expect(workerMessages.map((m) => m.type)).toEqual(['welcome', 'org-log'])
    expect(FakeSignalingSocket.made).toHaveLength(1)
  })

  it('subscribes every topic in one frame once admitted, then tells each port it is open', () => {
    const { signaling, log, user } = page()
    signaling.connect()
    user('general').subscribe(general)
    user('ops').subscribe(ops)
    const socket = FakeSignalingSocket.last
    socket.admit()
    expect(socket.sent.map((f) => f.type)).toEqual(['auth', 'subscribe'])
    expect(socket.topics('subscribe')).toEqual([general, ops])
    expect(log).toEqual(['general:open', 'ops:open'])
  })

  it('after the link drops, reconnects once and replays every topic before the ports restart', () => {
    const { signaling, log, user } = page()
    const statuses: string[] = []
    signaling.onStatus((s) => statuses.push(s))
    const order: string[] = []
    const general_ = user('general')
    general_.subscribe(general)
    signaling.port({
      message: () => {},
      // A restarting mesh re-asserts its topic and announces: the announce must follow the replay.
      open: () => {
        ops_.subscribe(ops)
        ops_.publish(ops, { type: 'announce', from: 'me' })
        order.push(...FakeSignalingSocket.last.sent.map((f) => f.type))
      },
    })
    const ops_ = user('ops')
    signaling.connect()
    FakeSignalingSocket.last.admit()
    log.length = 0
    order.length = 0
    statuses.length = 0

    FakeSignalingSocket.last.drop()
    expect(signaling.status).toBe('closed')
    vi.advanceTimersByTime(500)
    expect(FakeSignalingSocket.made).toHaveLength(2)
    const again = FakeSignalingSocket.last
    again.admit()

    expect(statuses).toEqual(['closed', 'connecting', 'authenticating', 'open'])
    expect(again.topics('subscribe')).toEqual([general, ops])
    expect(again.sent.filter((f) => f.type === 'subscribe')).toHaveLength(1)
    expect(order).toEqual(['auth', 'subscribe', 'publish'])
    expect(log).toEqual(['general:open', 'ops:open'])
    expect(FakeSignalingSocket.open).toBe(1)
  })

  it('closing a port leaves its topics, but not one another port still holds', () => {
    const { signaling, log, user } = page()
    const dmMesh = user('dm')
    const doorbell = user('doorbell')
    const general_ = user('general')
    for (const [port, topic] of [[dmMesh, dm], [doorbell, dm], [general_, general]] as const) {
      port.subscribe(topic)
    }
    signaling.connect()
    const socket = FakeSignalingSocket.last
    socket.admit()
    log.length = 0

    dmMesh.close()
    expect(socket.topics('unsubscribe')).toEqual([])
    socket.relay(dm, { type: 'announce', from: 'p' })
    expect(log).toEqual(['doorbell:' + dm])

    general_.close()
    expect(socket.topics('unsubscribe')).toEqual([general])
    socket.relay(general, { type: 'announce', from: 'p' })
    expect(log).toEqual(['doorbell:' + dm])
    // A closed port publishes nothing and hears no open.
    general_.publish(general, { type: 'announce', from: 'late' })
    expect(socket.sent.filter((f) => f.type === 'publish')).toHaveLength(0)
    expect(signaling.topics).toEqual([dm])
  })

  it('disconnect closes the socket for good; connect makes exactly one new one', () => {
    const { signaling, user } = page()
    user('general').subscribe(general)
    signaling.connect()
    FakeSignalingSocket.last.admit()

    signaling.disconnect()
    expect(signaling.status).toBe('closed')
    vi.advanceTimersByTime(60_000)
    expect(FakeSignalingSocket.made).toHaveLength(1)
    expect(FakeSignalingSocket.open).toBe(0)

    signaling.connect()
    signaling.connect()
    expect(FakeSignalingSocket.made).toHaveLength(2)
    FakeSignalingSocket.last.admit()
    expect(FakeSignalingSocket.last.topics('subscribe')).toEqual([general])
    expect(signaling.status).toBe('open')
  })

  it('a close while waiting out the backoff stops the reconnect', () => {
    const { signaling } = page()
    signaling.connect()
    FakeSignalingSocket.last.admit()
    FakeSignalingSocket.last.drop()
    signaling.disconnect()
    vi.advanceTimersByTime(60_000)
    expect(FakeSignalingSocket.made).toHaveLength(1)
  })

  it('a refused device stays refused and every status listener hears why', () => {
    const { signaling } = page()
    const heard: string[] = []
    signaling.onStatus((s, d) => heard.push(`${s}/${d}`))
    signaling.connect()
    FakeSignalingSocket.last.accept()
    FakeSignalingSocket.last.drop('revoked')
    vi.advanceTimersByTime(60_000)
    expect(heard.at(-1)).toBe('refused/revoked')
    expect(signaling.detail).toBe('revoked')
    expect(FakeSignalingSocket.made).toHaveLength(1)
  })
})

describe("the worker's topic limit", () => {
  const doorbells = ['d1', 'd2', 'd3'].map((d) => d.repeat(32))

  it('past the limit the welcome names, doorbells yield to channels and come back when room frees', () => {
    const { signaling, user } = page()
    const ring = signaling.port({ message: () => {} }, { spare: true })
    for (const d of doorbells) ring.subscribe(d)
    const general_ = user('general')
    general_.subscribe(general)
    user('ops').subscribe(ops)
    signaling.connect()
    const socket = FakeSignalingSocket.last
    socket.accept()
    socket.receive({ type: 'challenge', challenge: 'c2hhbGxlbmdl' })
    socket.receive({ type: 'welcome', limits: { maxTopics: 3 } })

    // Learned before the replay: the worker never sees a fourth topic.
    expect(socket.topics('subscribe').sort()).toEqual([general, ops, doorbells[0]].sort())
    expect(socket.topics('unsubscribe')).toEqual([])

    // A third channel takes the doorbell's place; leaving it gives the place back.
    const dm = user('dm')
    dm.subscribe('ee'.repeat(32))
    expect(socket.topics('unsubscribe')).toEqual([doorbells[0]])
    expect(signaling.topics.sort()).toEqual([general, ops, 'ee'.repeat(32)].sort())
    dm.close()
    general_.close()
    expect(signaling.topics.sort()).toEqual([ops, doorbells[0], doorbells[1]].sort())
  })

  it('a welcome without a sane limit changes nothing', () => {
    const { signaling, user } = page()
    for (const [i, t] of [general, ops, dm].entries()) user(`u${i}`).subscribe(t)
    signaling.connect()
    const socket = FakeSignalingSocket.last
    socket.accept()
    socket.receive({ type: 'challenge', challenge: 'c2hhbGxlbmdl' })
    socket.receive({ type: 'welcome', limits: { maxTopics: -1 } })
    expect(socket.topics('subscribe')).toEqual([general, ops, dm])
  })
})
