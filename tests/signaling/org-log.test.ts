// The org log over HTTP and WebSocket: served, grown only by verified entries, pushed, persisted.

import { deepStrictEqual as assertEquals, ok } from 'node:assert/strict'
import { fromBase64url, toHex } from '../../crypto/codec/bytes.ts'
import {
  createDeviceCertificate,
  createLogEntry,
  decodeLogBundle,
  decodeLogEntry,
  type LogEntry,
} from '../../crypto/membership/index.ts'
import { connectAs, startAdmissionWorker } from './support/admission-worker.ts'
import { postLog, TestOrg } from './support/test-org.ts'
import { startWorkerProcess } from './support/worker-process.ts'

const ids = (entries: LogEntry[]) => entries.map((e) => e.id).sort()

async function getLog(url: string, heads?: string[]): Promise<LogEntry[]> {
  const query = heads ? `?heads=${heads.join(',')}` : ''
  const response = await fetch(`${url}/org/log${query}`)
  assertEquals(response.status, 200)
  return decodeLogBundle(new Uint8Array(await response.arrayBuffer()))
}

Deno.test('the admin posts entries; GET serves all of them, or only those above given heads', async () => {
  const org = new TestOrg()
  const alice = org.issueDevice('alice')
  const run = await startAdmissionWorker(org)
  try {
    assertEquals(await getLog(run.url), [])
    const first = await postLog(run.url, org.bundle())
    assertEquals(await first.json(), { accepted: 1, heads: [alice.entry.id] })

    const bob = org.issueDevice('bob')
    const carol = org.issueDevice('carol')
    // Posting the whole log again accepts only what is new.
    assertEquals((await (await postLog(run.url, org.bundle())).json()).accepted, 2)
    assertEquals(ids(await getLog(run.url)), ids([alice.entry, bob.entry, carol.entry]))
    assertEquals(ids(await getLog(run.url, [alice.entry.id])), ids([bob.entry, carol.entry]))
    assertEquals(await getLog(run.url, [carol.entry.id]), [])
    assertEquals((await fetch(`${run.url}/org/log?heads=zz`)).status, 400)
  } finally {
    await run.stop()
  }
})

Deno.test('forged and foreign entries are refused with 422 and change nothing', async () => {
  const org = new TestOrg()
  org.issueDevice('alice')
  const run = await startAdmissionWorker(org)
  try {
    await (await postLog(run.url, org.bundle())).body?.cancel()
    const heads = run.log.heads()

    // Mallory flips a bit in the signature of an otherwise valid entry.
    const real = org.issueDevice('bob').entry
    const forgedBytes = real.bytes.slice()
    forgedBytes[forgedBytes.length - 1] ^= 1
    const forged = await postLog(run.url, org.bundle([decodeLogEntry(forgedBytes)]))
    assertEquals(forged.status, 422)
    ok((await forged.text()).includes('membership/bad-log'))
    // An entry signed by some other org's root.
    const other = new TestOrg()
    other.issueDevice('eve')
    const foreign = await postLog(run.url, other.bundle())
    assertEquals(foreign.status, 422)
    ok((await foreign.text()).includes('membership/bad-log'))
    // Garbage is a 400.
    const garbage = await postLog(run.url, new Uint8Array([9, 9, 9]))
    assertEquals(garbage.status, 400)
    await garbage.body?.cancel()

    assertEquals(run.log.heads(), heads)
    const metrics = await (await fetch(`${run.url}/metrics`)).text()
    ok(metrics.includes('conch_org_log_refused_total 3\n'), metrics)
  } finally {
    await run.stop()
  }
})

Deno.test('a rolled-back log changes nothing and a revoked device cannot be reissued', async () => {
  const org = new TestOrg()
  const mallory = org.issueDevice('mallory')
  const beforeRevocation = [...org.log]
  const revocation = org.revokeDevice(mallory)
  const run = await startAdmissionWorker(org)
  try {
    await (await postLog(run.url, org.bundle())).body?.cancel()
    // An old copy of the log (before the revocation) is accepted as "nothing new".
    const stale = await postLog(run.url, org.bundle(beforeRevocation))
    assertEquals((await stale.json()).accepted, 0)
    assertEquals(run.log.heads(), [revocation.id])
    // A branch built on the old heads that un-revokes by reissuing the same device id is refused.
    const oldIssue = mallory.entry.body
    if (oldIssue.type !== 'issue-device') throw new Error('fixture')
    const again = createDeviceCertificate(org.root.secretKey, {
      ...oldIssue.certificate,
      clientIdRange: { start: 0x900000, end: 0x910000 },
    })
    const reissue = createLogEntry({
      orgId: org.anchor.orgId,
      authorSecretKey: org.root.secretKey,
      timestamp: Date.now(),
      heads: [mallory.entry.hash],
      body: { type: 'issue-device', certificate: again },
    })
    const refused = await postLog(run.url, org.bundle([reissue]))
    assertEquals(refused.status, 422)
    await refused.body?.cancel()
    assertEquals(run.log.heads(), [revocation.id])
  } finally {
    await run.stop()
  }
})

Deno.test('a revocation closes the revoked device at once and is pushed to the others', async () => {
  const org = new TestOrg()
  const alice = org.issueDevice('alice')
  const lostPhone = org.issueDevice('bob')
  const run = await startAdmissionWorker(org)
  try {
    await (await postLog(run.url, org.bundle())).body?.cancel()
    const a = await connectAs(run.wsUrl, org, alice)
    const b = await connectAs(run.wsUrl, org, lostPhone)
    assertEquals(b.welcome.type, 'welcome')

    const revocation = org.revokeDevice(lostPhone)
    await (await postLog(run.url, org.bundle())).body?.cancel()

    assertEquals(await b.client.closed, { code: 4434, reason: 'revoked' })
    const push = await a.client.next((m) => m.type === 'org-log')
    assertEquals(push.heads, [revocation.id])
    const pushed = decodeLogBundle(fromBase64url(String(push.entries)))
    assertEquals(pushed.map((e) => e.id), [revocation.id])

    // Asking over the socket with old heads returns what the device lacks.
    a.client.send({ type: 'org-log-request', heads: [toHex(alice.entry.hash)] })
    const reply = await a.client.next((m) => m.type === 'org-log')
    assertEquals(
      decodeLogBundle(fromBase64url(String(reply.entries))).map((e) => e.id).sort(),
      [lostPhone.entry.id, revocation.id].sort(),
    )
    await a.client.close()
  } finally {
    await run.stop()
  }
})

Deno.test('revoking a user closes every device of that user and no one else', async () => {
  const org = new TestOrg()
  const phone = org.issueDevice('erin')
  const laptop = org.issueDevice('erin')
  const frank = org.issueDevice('frank')
  const run = await startAdmissionWorker(org)
  try {
    await (await postLog(run.url, org.bundle())).body?.cancel()
    const [p, l, f] = await Promise.all(
      [phone, laptop, frank].map((d) => connectAs(run.wsUrl, org, d)),
    )
    org.revokeUser('erin')
    await (await postLog(run.url, org.bundle())).body?.cancel()
    assertEquals(await p.client.closed, { code: 4434, reason: 'revoked' })
    assertEquals(await l.client.closed, { code: 4434, reason: 'revoked' })
    f.client.send({ type: 'ping' })
    assertEquals(await f.client.next((m) => m.type === 'pong'), { type: 'pong' })
    await f.client.close()
  } finally {
    await run.stop()
  }
})

Deno.test('the org log survives a restart of the worker process (Deno KV under CONCH_DATA)', async () => {
  const dir = await Deno.makeTempDir({ prefix: 'conch-kv-' })
  try {
    const org = new TestOrg()
    const alice = org.issueDevice('alice')
    const env = { CONCH_DATA: dir, CONCH_ORG_ROOT: org.anchorText }
    const first = await startWorkerProcess(env)
    try {
      assertEquals((await (await postLog(first.url, org.bundle())).json()).accepted, 1)
    } finally {
      await first.stop()
    }
    const second = await startWorkerProcess(env)
    try {
      assertEquals(ids(await getLog(second.url)), [alice.entry.id])
      // ... and it still admits Alice with that log.
      const a = await connectAs(second.wsUrl, org, alice)
      assertEquals(a.welcome.type, 'welcome')
      await a.client.close()
    } finally {
      await second.stop()
    }
  } finally {
    await Deno.remove(dir, { recursive: true })
  }
})
