// Limits: a flood from one client does not starve the others, slow consumers are dropped,
// silent connections time out.

import { deepStrictEqual as assertEquals, ok } from 'node:assert/strict'
import { stalledClient } from './support/raw-socket.ts'
import { startWorker, testConfig } from './support/start-worker.ts'
import { TestClient } from './support/test-client.ts'

async function subscribed(url: string, topic: string): Promise<TestClient> {
  const client = await TestClient.connect(url)
  client.send({ type: 'subscribe', topics: [topic] })
  client.send({ type: 'ping' })
  await client.next((m) => m.type === 'pong')
  return client
}

Deno.test('Mallory floods; she is rate-limited and closed while Alice and Bob keep talking', async () => {
  const run = await startWorker({ config: testConfig({ open: true }) })
  try {
    const alice = await subscribed(run.wsUrl, 'quiet-room')
    const bob = await subscribed(run.wsUrl, 'quiet-room')
    const watcher = await subscribed(run.wsUrl, 'loud-room')
    const mallory = await subscribed(run.wsUrl, 'loud-room')

    const flood = (async () => {
      const junk = JSON.stringify({ type: 'publish', topic: 'loud-room', data: 'x'.repeat(200) })
      for (let i = 0; i < 20_000 && mallory.socket.readyState === WebSocket.OPEN; i++) {
        mallory.socket.send(junk)
        if (i % 500 === 0) await new Promise((r) => setTimeout(r, 0))
      }
    })()
    for (let i = 0; i < 20; i++) {
      alice.send({ type: 'publish', topic: 'quiet-room', data: `hello ${i}` })
      const got = await bob.next((m) => m.type === 'publish')
      assertEquals(got.data, `hello ${i}`)
    }
    await flood
    // Her socket is closed by the worker (a client still writing may not see the close frame's
    // code, so the refusal is read from the metrics).
    await mallory.closed
    assertEquals(run.worker.metrics.refusals.get('rate-limited'), 1)
    ok(run.worker.metrics.droppedRateLimited > 0)
    // The watcher on Mallory's topic got at most her burst allowance plus the sustained rate.
    const floodDelivered = watcher.drain().filter((m) => m.type === 'publish').length
    ok(floodDelivered < 20_000 / 4, `delivered ${floodDelivered} of the flood`)
    for (const c of [alice, bob, watcher]) await c.close()
  } finally {
    await run.stop()
  }
})

Deno.test('a subscriber that stops reading is dropped as a slow consumer; others get everything', async () => {
  const limits = { messagesPerSecond: 100_000, burst: 100_000, maxBufferedBytes: 4 << 20 }
  const run = await startWorker({ config: testConfig({ open: true, limits: limits as never }) })
  try {
    const port = Number(new URL(run.url).port)
    const stalled = await stalledClient(port, [{ type: 'subscribe', topics: ['video-call'] }])
    const healthy = await subscribed(run.wsUrl, 'video-call')
    const publisher = await TestClient.connect(run.wsUrl)
    const chunk = 'y'.repeat(60_000)
    const total = 300 // 18 MB: far more than the kernel buffers of the stalled socket hold
    let received = 0
    for (let i = 0; i < total; i++) {
      publisher.send({ type: 'publish', topic: 'video-call', data: chunk, n: i })
      if (i % 10 === 9) {
        while (received < i - 20) {
          await healthy.next((m) => m.type === 'publish')
          received++
        }
      }
    }
    while (received < total) {
      await healthy.next((m) => m.type === 'publish')
      received++
    }
    assertEquals(received, total)
    assertEquals(run.worker.metrics.refusals.get('slow-consumer'), 1)
    stalled.close()
    await healthy.close()
    await publisher.close()
  } finally {
    await run.stop()
  }
})

Deno.test('a connection silent past the idle timeout is closed with 4460 idle', async () => {
  const clock = { now: 1_000_000 }
  const run = await startWorker({ config: testConfig({ open: true }), now: () => clock.now })
  try {
    const quiet = await TestClient.connect(run.wsUrl)
    const chatty = await TestClient.connect(run.wsUrl)
    clock.now += 100_000
    chatty.send({ type: 'ping' })
    await chatty.next()
    clock.now += 30_000
    run.worker.tick()
    assertEquals(await quiet.closed, { code: 4460, reason: 'idle' })
    assertEquals(chatty.socket.readyState, WebSocket.OPEN)
    await chatty.close()
  } finally {
    await run.stop()
  }
})
