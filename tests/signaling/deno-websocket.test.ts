// The edge path (CONCH_LEAN_WEBSOCKET=0: Deno.serve with Deno's own WebSocket) speaks the same
// protocol as the default front door: y-webrtc messages, admission, close codes.

import { deepStrictEqual as assertEquals } from 'node:assert/strict'
import { connectAs, startAdmissionWorker } from './support/admission-worker.ts'
import { startWorker, testConfig } from './support/start-worker.ts'
import { TestClient } from './support/test-client.ts'
import { postLog, TestOrg } from './support/test-org.ts'

Deno.test('edge path, open mode: publish reaches every subscriber with clients', async () => {
  const run = await startWorker({ config: testConfig({ open: true, leanWebSocket: false }) })
  try {
    const a = await TestClient.connect(run.wsUrl)
    const b = await TestClient.connect(run.wsUrl)
    for (const c of [a, b]) {
      c.send({ type: 'subscribe', topics: ['room'] })
      c.send({ type: 'ping' })
      assertEquals(await c.next(), { type: 'pong' })
    }
    a.send({ type: 'publish', topic: 'room', data: 1 })
    assertEquals(await b.next(), { type: 'publish', topic: 'room', data: 1, clients: 2 })
    await a.close()
    await b.close()
  } finally {
    await run.stop()
  }
})

Deno.test('edge path, admission: welcome, revocation close, oversize close', async () => {
  const org = new TestOrg()
  const alice = org.issueDevice('alice')
  const bob = org.issueDevice('bob')
  const run = await startAdmissionWorker(org, {
    limits: { maxFrameBytes: 2048 },
    leanWebSocket: false,
  })
  try {
    await (await postLog(run.url, org.bundle())).body?.cancel()
    const a = await connectAs(run.wsUrl, org, alice)
    assertEquals(a.welcome.deviceId, alice.deviceIdHex)
    const b = await connectAs(run.wsUrl, org, bob)
    org.revokeDevice(bob)
    await (await postLog(run.url, org.bundle())).body?.cancel()
    assertEquals(await b.client.closed, { code: 4434, reason: 'revoked' })
    a.client.send('x'.repeat(3000))
    assertEquals(await a.client.closed, { code: 4413, reason: 'frame-too-large' })
  } finally {
    await run.stop()
  }
})
