// Admission: a device proves its credential over a fresh challenge before it may do anything.

import { deepStrictEqual as assertEquals, ok } from 'node:assert/strict'
import { base64url, fromBase64url } from '../../crypto/codec/bytes.ts'
import { connectAs, startAdmissionWorker } from './support/admission-worker.ts'
import { TestClient } from './support/test-client.ts'
import { authMessage, HOUR, postLog, type TestDevice, TestOrg } from './support/test-org.ts'

const TOPIC = 'ab'.repeat(32)

Deno.test('Alice, issued by the root, is admitted and can signal to Bob, issued by an admin', async () => {
  const org = new TestOrg()
  const alice = org.issueDevice('alice')
  const admin = org.appointAdmin('it-desk')
  const bob = org.issueDevice('bob', { admin })
  const run = await startAdmissionWorker(org)
  try {
    assertEquals(
      (await (await fetch(`${run.url}/org/log`, {
        method: 'POST',
        body: org.bundle(),
      })).json()).accepted,
      3,
    )

    const challengeClient = await TestClient.connect(run.wsUrl)
    const challenge = await challengeClient.next()
    assertEquals(challenge.type, 'challenge')
    assertEquals(fromBase64url(String(challenge.challenge)).length, 32)
    await challengeClient.close()

    const a = await connectAs(run.wsUrl, org, alice)
    assertEquals(a.welcome.type, 'welcome')
    assertEquals(a.welcome.deviceId, alice.deviceIdHex)
    assertEquals(a.welcome.userId, 'alice')
    assertEquals(a.welcome.heads, run.log.heads())
    const b = await connectAs(run.wsUrl, org, bob)
    assertEquals(b.welcome.deviceId, bob.deviceIdHex)

    a.client.send({ type: 'subscribe', topics: [TOPIC] })
    b.client.send({ type: 'subscribe', topics: [TOPIC] })
    b.client.send({ type: 'ping' })
    await b.client.next((m) => m.type === 'pong')
    a.client.send({ type: 'publish', topic: TOPIC, data: 'offer' })
    assertEquals(await b.client.next(), {
      type: 'publish',
      topic: TOPIC,
      data: 'offer',
      clients: 2,
    })
    await a.client.close()
    await b.client.close()
  } finally {
    await run.stop()
  }
})

/** Posts the org's log, connects `device`, and returns how the worker closed the socket. */
async function refusal(
  org: TestOrg,
  answer: (challenge: string, client: TestClient) => void,
  setup?: (run: Awaited<ReturnType<typeof startAdmissionWorker>>) => void,
) {
  const run = await startAdmissionWorker(org)
  try {
    await (await fetch(`${run.url}/org/log`, { method: 'POST', body: org.bundle() })).body?.cancel()
    setup?.(run)
    const client = await TestClient.connect(run.wsUrl)
    const challenge = await client.next((m) => m.type === 'challenge')
    answer(String(challenge.challenge), client)
    return await client.closed
  } finally {
    await run.stop()
  }
}

Deno.test('a revoked device is refused with 4434 revoked', async () => {
  const org = new TestOrg()
  const mallory = org.issueDevice('mallory')
  org.revokeDevice(mallory)
  const closed = await refusal(org, (c, client) => client.send(authMessage(org, mallory, c)))
  assertEquals(closed, { code: 4434, reason: 'revoked' })
})

Deno.test('an expired credential is refused with 4432 expired', async () => {
  const org = new TestOrg()
  const carol = org.issueDevice('carol', { validMs: HOUR })
  const closed = await refusal(
    org,
    (c, client) => client.send(authMessage(org, carol, c)),
    (run) => (run.clock.now += 2 * HOUR),
  )
  assertEquals(closed, { code: 4432, reason: 'expired' })
})

Deno.test('a device of another org is refused with 4430 foreign-org', async () => {
  const org = new TestOrg()
  org.issueDevice('alice')
  const other = new TestOrg()
  const eve = other.issueDevice('eve')
  const closed = await refusal(org, (c, client) => client.send(authMessage(other, eve, c)))
  assertEquals(closed, { code: 4430, reason: 'foreign-org' })
})

Deno.test('a certificate the org log never issued is refused with 4431 untrusted', async () => {
  const org = new TestOrg()
  const ghost = org.issueDevice('ghost')
  org.log.pop() // the issue-device entry is never posted
  const closed = await refusal(org, (c, client) => client.send(authMessage(org, ghost, c)))
  assertEquals(closed, { code: 4431, reason: 'untrusted' })
})

Deno.test('a signature by another key is refused with 4435 bad-signature', async () => {
  const org = new TestOrg()
  const alice = org.issueDevice('alice')
  const bob = org.issueDevice('bob')
  const closed = await refusal(org, (c, client) => {
    const forged = authMessage(org, bob, c)
    client.send({ ...forged, credential: base64url(alice.credential) })
  })
  assertEquals(closed, { code: 4435, reason: 'bad-signature' })
})

Deno.test("an answer to another connection's challenge is refused with 4436 replay", async () => {
  const org = new TestOrg()
  const alice = org.issueDevice('alice')
  const run = await startAdmissionWorker(org)
  try {
    await (await fetch(`${run.url}/org/log`, { method: 'POST', body: org.bundle() })).body?.cancel()
    // Eve watches Alice's connection and replays Alice's valid answer on her own connection.
    const first = await TestClient.connect(run.wsUrl)
    const aliceChallenge = String((await first.next()).challenge)
    const aliceAnswer = authMessage(org, alice, aliceChallenge)
    const eve = await TestClient.connect(run.wsUrl)
    await eve.next((m) => m.type === 'challenge')
    eve.send(aliceAnswer)
    assertEquals(await eve.closed, { code: 4436, reason: 'replay' })

    // The same answer once more after Alice used it: the challenge is spent.
    first.send(aliceAnswer)
    assertEquals((await first.next()).type, 'welcome')
    first.send(aliceAnswer)
    assertEquals(await first.closed, { code: 4436, reason: 'replay' })
  } finally {
    await run.stop()
  }
})

Deno.test('before admission only auth is allowed; garbage and oversize frames close the socket', async () => {
  const org = new TestOrg()
  const run = await startAdmissionWorker(org, { limits: { maxFrameBytes: 4096 } })
  try {
    const cases: [unknown, { code: number; reason: string }][] = [
      [{ type: 'subscribe', topics: [TOPIC] }, { code: 4401, reason: 'auth-required' }],
      ['{not json', { code: 4400, reason: 'bad-frame' }],
      ['[1,2,3]', { code: 4400, reason: 'bad-frame' }],
      [{ type: 'auth', challenge: 'x', credential: '!!', signature: '' }, {
        code: 4400,
        reason: 'bad-frame',
      }],
      [new Uint8Array([1, 2, 3]), { code: 4400, reason: 'bad-frame' }],
      [{ type: 'auth', challenge: 'A', credential: 'A', signature: 'A' }, {
        code: 4436,
        reason: 'replay',
      }],
      ['x'.repeat(5000), { code: 4413, reason: 'frame-too-large' }],
    ]
    for (const [frame, expected] of cases) {
      const client = await TestClient.connect(run.wsUrl)
      await client.next((m) => m.type === 'challenge')
      if (frame instanceof Uint8Array) client.socket.send(frame as Uint8Array<ArrayBuffer>)
      else client.send(frame)
      assertEquals(await client.closed, expected, `frame ${String(frame).slice(0, 40)}`)
    }
    const metrics = await (await fetch(`${run.url}/metrics`)).text()
    ok(metrics.includes('conch_refusals_total{reason="bad-frame"} 4'), metrics)
  } finally {
    await run.stop()
  }
})

Deno.test('a client that never answers is closed with 4408 auth-timeout', async () => {
  const org = new TestOrg()
  const run = await startAdmissionWorker(org)
  try {
    const client = await TestClient.connect(run.wsUrl)
    await client.next((m) => m.type === 'challenge')
    run.clock.now += 60_000
    run.worker.tick()
    assertEquals(await client.closed, { code: 4408, reason: 'auth-timeout' })
  } finally {
    await run.stop()
  }
})

Deno.test('admitted topics must be 64-char hex hashes, and at most maxTopics of them', async () => {
  const org = new TestOrg()
  const alice = org.issueDevice('alice')
  const run = await startAdmissionWorker(org, { limits: { maxTopicsPerConnection: 2 } })
  try {
    await (await fetch(`${run.url}/org/log`, { method: 'POST', body: org.bundle() })).body?.cancel()
    const named = await connectAs(run.wsUrl, org, alice)
    named.client.send({ type: 'subscribe', topics: ['#general'] })
    assertEquals(await named.client.closed, { code: 4441, reason: 'bad-topic' })
    const greedy = await connectAs(run.wsUrl, org, alice)
    greedy.client.send({ type: 'subscribe', topics: ['a'.repeat(64), 'b'.repeat(64)] })
    greedy.client.send({ type: 'subscribe', topics: ['c'.repeat(64)] })
    assertEquals(await greedy.client.closed, { code: 4440, reason: 'too-many-topics' })
  } finally {
    await run.stop()
  }
})

Deno.test('an undecodable credential is refused with 4437 bad-credential', async () => {
  const org = new TestOrg()
  org.issueDevice('alice')
  for (const credential of ['A', base64url(new Uint8Array([1, 2, 3, 4, 5]))]) {
    const closed = await refusal(
      org,
      (c, client) =>
        client.send({
          type: 'auth',
          challenge: c,
          credential,
          signature: base64url(new Uint8Array(64)),
        }),
    )
    assertEquals(closed, { code: 4437, reason: 'bad-credential' }, credential)
  }
})

/** Answers the challenge as `device` and returns how the worker closed the socket. */
async function answerAndWait(wsUrl: string, org: TestOrg, device: TestDevice) {
  const client = await TestClient.connect(wsUrl)
  const challenge = await client.next((m) => m.type === 'challenge')
  client.send(authMessage(org, device, String(challenge.challenge)))
  return await client.closed
}

Deno.test('a device admitted before stays refused after it expires or is revoked (no stale cache)', async () => {
  const org = new TestOrg()
  const carol = org.issueDevice('carol', { validMs: HOUR })
  const dave = org.issueDevice('dave')
  const run = await startAdmissionWorker(org)
  try {
    await (await postLog(run.url, org.bundle())).body?.cancel()
    for (const device of [carol, dave]) {
      const first = await connectAs(run.wsUrl, org, device)
      assertEquals(first.welcome.type, 'welcome')
      await first.client.close()
    }
    run.clock.now += 2 * HOUR
    assertEquals(await answerAndWait(run.wsUrl, org, carol), { code: 4432, reason: 'expired' })

    org.revokeDevice(dave)
    await (await postLog(run.url, org.bundle())).body?.cancel()
    assertEquals(await answerAndWait(run.wsUrl, org, dave), { code: 4434, reason: 'revoked' })
  } finally {
    await run.stop()
  }
})
