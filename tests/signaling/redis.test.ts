// Scale-out: two worker processes share topics and the org log through a real redis-server.

import { deepStrictEqual as assertEquals } from 'node:assert/strict'
import { connectAs } from './support/admission-worker.ts'
import { startRedis } from './support/redis-server.ts'
import { TestClient } from './support/test-client.ts'
import { postLog, TestOrg } from './support/test-org.ts'
import { startWorkerProcess } from './support/worker-process.ts'

const TOPIC = 'cd'.repeat(32)

async function untilPong(client: TestClient): Promise<void> {
  client.send({ type: 'ping' })
  await client.next((m) => m.type === 'pong')
}

Deno.test('a peer on instance 1 reaches a peer on instance 2; a revocation posted to one closes the device on the other', async () => {
  const redis = await startRedis()
  const dirs = [await Deno.makeTempDir(), await Deno.makeTempDir()]
  const org = new TestOrg()
  const alice = org.issueDevice('alice')
  const bob = org.issueDevice('bob')
  const env = (i: number) => ({
    CONCH_ORG_ROOT: org.anchorText,
    CONCH_DATA: dirs[i],
    REDIS_URL: redis.url,
  })
  const one = await startWorkerProcess(env(0))
  const two = await startWorkerProcess(env(1))
  try {
    // The log is posted to instance 1 only; instance 2 learns it through Redis.
    assertEquals((await (await postLog(one.url, org.bundle())).json()).accepted, 2)
    let heads = ''
    for (let i = 0; i < 100 && heads !== bob.entry.id; i++) {
      heads = (await fetch(`${two.url}/org/log`)).headers.get('x-conch-heads') ?? ''
      if (heads !== bob.entry.id) await new Promise((r) => setTimeout(r, 50))
    }
    assertEquals(heads, bob.entry.id)

    const a = await connectAs(one.wsUrl, org, alice)
    const b = await connectAs(two.wsUrl, org, bob)
    assertEquals([a.welcome.type, b.welcome.type], ['welcome', 'welcome'])
    a.client.send({ type: 'subscribe', topics: [TOPIC] })
    b.client.send({ type: 'subscribe', topics: [TOPIC] })
    await untilPong(a.client)
    await untilPong(b.client)
    // Redis SUBSCRIBE is asynchronous: publish until the first one crosses over.
    let crossed: Record<string, unknown> | undefined
    for (let i = 0; i < 50 && !crossed; i++) {
      a.client.send({ type: 'publish', topic: TOPIC, data: { from: 'alice', n: i } })
      crossed = await b.client.next((m) => m.type === 'publish', 200).catch(() => undefined)
    }
    assertEquals((crossed?.data as { from: string }).from, 'alice')
    b.client.send({ type: 'publish', topic: TOPIC, data: { from: 'bob' } })
    const back = await a.client.next((m) =>
      m.type === 'publish' && (m.data as { from: string }).from === 'bob'
    )
    assertEquals(back.topic, TOPIC)

    // Bob's phone is lost: the admin posts the revocation to instance 1; Bob sits on instance 2.
    const revocation = org.revokeDevice(bob)
    assertEquals((await (await postLog(one.url, org.bundle())).json()).accepted, 1)
    assertEquals(await b.client.closed, { code: 4434, reason: 'revoked' })
    const push = await a.client.next((m) => m.type === 'org-log')
    assertEquals(push.heads, [revocation.id])
    await a.client.close()
  } finally {
    await one.stop()
    await two.stop()
    await redis.stop()
    for (const d of dirs) await Deno.remove(d, { recursive: true })
  }
})

Deno.test('open mode over Redis: y-webrtc style rooms span instances', async () => {
  const redis = await startRedis()
  const env = { CONCH_SIGNALING_OPEN: '1', REDIS_URL: redis.url }
  const one = await startWorkerProcess(env)
  const two = await startWorkerProcess(env)
  try {
    const a = await TestClient.connect(one.wsUrl)
    const b = await TestClient.connect(two.wsUrl)
    a.send({ type: 'subscribe', topics: ['lobby'] })
    b.send({ type: 'subscribe', topics: ['lobby'] })
    await untilPong(a)
    await untilPong(b)
    let crossed: Record<string, unknown> | undefined
    for (let i = 0; i < 50 && !crossed; i++) {
      b.send({ type: 'publish', topic: 'lobby', data: { type: 'announce', from: 'b' } })
      crossed = await a.next((m) => m.type === 'publish', 200).catch(() => undefined)
    }
    // `clients` counts the receiving instance's own subscribers, as y-webrtc's server does.
    assertEquals(crossed, {
      type: 'publish',
      topic: 'lobby',
      data: { type: 'announce', from: 'b' },
      clients: 1,
    })
    await a.close()
    await b.close()
  } finally {
    await one.stop()
    await two.stop()
    await redis.stop()
  }
})
