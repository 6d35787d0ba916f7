// Channels on the page's one socket: #general and #ops each run a mesh over the org connection's
// socket; each status line shows the socket's state with its own peer count; going offline closes
// the socket and both meshes, coming back opens one socket and both channels announce again;
// leaving #ops leaves its topic and nothing else. The worker is played by a fake socket.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  channelConnection,
  Connectivity,
  signalingConnection,
} from '../../client/browser/channel-connection.ts'
import type { SignalingMessage } from '../../client/transport/signaling-client.ts'
import { answerChallenge, FakeSignalingSocket, fakeWebSocket } from './fake-signaling-socket.ts'
import { seededRandom } from './seeded-random.ts'

const general = 'a1'.repeat(32)
const ops = 'b2'.repeat(32)
const doorbell = 'c3'.repeat(32)
const idle = { linkUp() {}, linkDown() {}, receive() {} }

beforeEach(() => {
  FakeSignalingSocket.reset()
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

function device() {
  const network = new EventTarget()
  const connectivity = new Connectivity(network, true)
  const workerMessages: SignalingMessage[] = []
  const announced: string[] = []
  const org = signalingConnection({
    url: 'ws://worker/',
    answerChallenge,
    onWorkerMessage: (m) => workerMessages.push(m),
    onStatus: () => {},
    onAnnounce: (topic) => announced.push(topic),
    WebSocketImpl: fakeWebSocket,
  })
  connectivity.add(org)
  const random = seededRandom(7)
  const lines = new Map<string, string[]>()
  const channel = (name: string, topic: string) => {
    lines.set(name, [])
    const connection = channelConnection({
      signaling: org.signaling,
      topic,
      engine: idle,
      random,
      onStatus: (s, peers, detail) =>
        lines.get(name)!.push(`${s} ${peers}${detail ? ` ${detail}` : ''}`),
    })
    connectivity.add(connection)
    return connection
  }
  const goOffline = () => network.dispatchEvent(new Event('offline'))
  const goOnline = () => network.dispatchEvent(new Event('online'))
  return { org, connectivity, channel, lines, workerMessages, announced, goOffline, goOnline }
}

describe('channels share the page signaling socket', () => {
  it('two channels and the doorbells ride one socket; each channel announces on its topic', () => {
    const { org, channel, lines, workerMessages } = device()
    org.watch([doorbell])
    channel('general', general)
    channel('ops', ops)
    expect(FakeSignalingSocket.made).toHaveLength(1)
    const socket = FakeSignalingSocket.last
    socket.admit()

    expect(socket.topics('subscribe').sort()).toEqual([general, ops, doorbell].sort())
    expect(socket.announces().sort()).toEqual([general, ops].sort())
    // welcome reaches the org connection's handler once, not once per channel.
    expect(workerMessages.map((m) => m.type)).toEqual(['welcome'])
    for (const name of ['general', 'ops']) {
      expect(lines.get(name)).toEqual(['connecting 0', 'authenticating 0', 'open 0'])
    }
  })

  it("a peer's announce on one channel's topic reaches that channel's mesh only", () => {
    const { org, channel, announced } = device()
    org.watch([doorbell])
    channel('general', general)
    channel('ops', ops)
    const socket = FakeSignalingSocket.last
    socket.admit()
    const before = socket.sent.length
    // A signal addressed to some other peer id is not for either mesh: nothing answers it.
    socket.relay(ops, { type: 'signal', from: 'peer', to: 'nobody', signal: {} })
    socket.relay(doorbell, { type: 'announce', from: 'colleague' })
    expect(announced).toEqual([doorbell])
    expect(socket.sent.length).toBe(before)
  })

  it('offline closes the socket; online opens one socket and both channels recover', () => {
    const { channel, lines, goOffline, goOnline } = device()
    channel('general', general)
    channel('ops', ops)
    FakeSignalingSocket.last.admit()
    for (const l of lines.values()) l.length = 0

    goOffline()
    vi.advanceTimersByTime(60_000)
    expect(FakeSignalingSocket.open).toBe(0)
    expect(FakeSignalingSocket.made).toHaveLength(1)
    for (const name of ['general', 'ops']) expect(lines.get(name)!.at(-1)).toBe('closed 0')

    goOnline()
    expect(FakeSignalingSocket.made).toHaveLength(2)
    const socket = FakeSignalingSocket.last
    socket.admit()
    expect(FakeSignalingSocket.open).toBe(1)
    expect(socket.sent.filter((f) => f.type === 'subscribe')).toHaveLength(1)
    expect(socket.topics('subscribe').sort()).toEqual([general, ops].sort())
    expect(socket.announces().sort()).toEqual([general, ops].sort())
    for (const name of ['general', 'ops']) expect(lines.get(name)!.at(-1)).toBe('open 0')
  })

  it('a dropped link reconnects once and every channel announces again', () => {
    const { channel, lines } = device()
    channel('general', general)
    channel('ops', ops)
    FakeSignalingSocket.last.admit()
    FakeSignalingSocket.last.drop()
    for (const name of ['general', 'ops']) expect(lines.get(name)!.at(-1)).toBe('closed 0')
    vi.advanceTimersByTime(500)
    expect(FakeSignalingSocket.made).toHaveLength(2)
    const socket = FakeSignalingSocket.last
    socket.admit()
    expect(socket.topics('subscribe').sort()).toEqual([general, ops].sort())
    expect(socket.announces().sort()).toEqual([general, ops].sort())
  })

  it('leaving #ops leaves its topic and closes its mesh; #general keeps going', () => {
    const { connectivity, channel, lines } = device()
    channel('general', general)
    const opsConnection = channel('ops', ops)
    const socket = FakeSignalingSocket.last
    socket.admit()

    connectivity.remove(opsConnection)
    expect(opsConnection.connected).toBe(false)
    expect(socket.topics('unsubscribe')).toEqual([ops])
    expect(lines.get('ops')!.at(-1)).toBe('closed 0')
    expect(lines.get('general')!.at(-1)).toBe('open 0')
    expect(socket.readyState).toBe(1)

    // A later reconnect brings #general back, not #ops.
    socket.drop()
    vi.advanceTimersByTime(500)
    FakeSignalingSocket.last.admit()
    expect(FakeSignalingSocket.last.topics('subscribe')).toEqual([general])
    expect(FakeSignalingSocket.last.announces()).toEqual([general])
    expect(lines.get('ops')!.at(-1)).toBe('closed 0')
  })

  it('a refusal shows on every channel with its reason', () => {
    const { channel, lines } = device()
    channel('general', general)
    channel('ops', ops)
    FakeSignalingSocket.last.accept()
    FakeSignalingSocket.last.drop('revoked')
    for (const name of ['general', 'ops']) {
      expect(lines.get(name)!.at(-1)).toBe('refused 0 revoked')
    }
  })
})
