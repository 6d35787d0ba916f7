// Open mode (CONCH_SIGNALING_OPEN=1) speaks y-webrtc's signaling protocol exactly like its server.

import { deepStrictEqual as assertEquals } from 'node:assert/strict'
import { startWorker, testConfig } from './support/start-worker.ts'
import { TestClient } from './support/test-client.ts'

Deno.test('Alice and Bob subscribe to a room and both receive every publish, sender included', async () => {
  const run = await startWorker({ config: testConfig({ open: true }) })
  try {
    const alice = await TestClient.connect(run.wsUrl)
    const bob = await TestClient.connect(run.wsUrl)
    alice.send({ type: 'subscribe', topics: ['room-1'] })
    bob.send({ type: 'subscribe', topics: ['room-1'] })
    bob.send({ type: 'ping' })
    assertEquals(await bob.next(), { type: 'pong' })
    alice.send({ type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'alice' } })
    const expected = {
      type: 'publish',
      topic: 'room-1',
      data: { type: 'announce', from: 'alice' },
      clients: 2,
    }
    assertEquals(await bob.next(), expected)
    assertEquals(await alice.next(), expected)
    bob.send({ type: 'unsubscribe', topics: ['room-1'] })
    bob.send({ type: 'ping' })
    await bob.next((m) => m.type === 'pong')
    alice.send({ type: 'publish', topic: 'room-1', data: 'second' })
    assertEquals((await alice.next()).clients, 1)
    await alice.close()
    await bob.close()
  } finally {
    await run.stop()
  }
})

Deno.test('a publish to a topic nobody subscribed to goes nowhere; unknown types are ignored', async () => {
  const run = await startWorker({ config: testConfig({ open: true }) })
  try {
    const carol = await TestClient.connect(run.wsUrl)
    carol.send({ type: 'publish', topic: 'empty', data: 1 })
    carol.send({ type: 'something-new' })
    carol.send({ type: 'ping' })
    assertEquals(await carol.next(), { type: 'pong' })
    await carol.close()
  } finally {
    await run.stop()
  }
})

Deno.test('healthz answers ok and metrics count connections', async () => {
  const run = await startWorker({ config: testConfig({ open: true }) })
  try {
    const health = await fetch(`${run.url}/healthz`)
    assertEquals(await health.text(), 'ok\n')
    const dave = await TestClient.connect(run.wsUrl)
    dave.send({ type: 'ping' })
    await dave.next()
    const metrics = await (await fetch(`${run.url}/metrics`)).text()
    assertEquals(metrics.includes('conch_connections 1\n'), true)
    await dave.close()
  } finally {
    await run.stop()
  }
})
