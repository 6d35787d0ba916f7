// Transports across processes, with Chromium in the mix: a page reaches the always-on peer over
// libp2p WebSockets (loading libp2p lazily), and two Node peers (node-datachannel, each in its
// own process) and a page share one channel over WebRTC through the real signaling worker.
// The page runs the same engine and link authentication as the Node peers (support/harness.ts).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, type Page, test } from '@playwright/test'
import { formatOrgAnchor } from '../../crypto/membership/org-anchor.ts'
import { startHeadlessProcess } from '../client/integration/support/headless-process.ts'
import { deviceConfig } from '../client/integration/support/org-device.ts'
import { spawnPeer } from '../client/integration/support/peer-process.ts'
import { CHANNEL_ID } from '../client/integration/support/signed-envelope.ts'
import { startSignalingProcess } from '../client/integration/support/signaling-process.ts'
import { TestOrg } from '../client/integration/support/test-org.ts'
import type { Harness, HarnessState } from './support/harness.ts'
import { HARNESS_HTML, harnessBundle } from './support/harness-bundle.ts'

const cleanup: (() => Promise<void> | void)[] = []
test.afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

/**
 * Serves the harness from a real loopback HTTP server (a secure context for WebCrypto, and a
 * loopback origin, which Chromium's local-network-access checks let reach loopback peers).
 */
async function openHarness(page: Page): Promise<void> {
  const js = await harnessBundle()
  const server = createServer((req, res) => {
    const isJs = req.url?.endsWith('/harness.js')
    res.setHeader('content-type', isJs ? 'text/javascript' : 'text/html')
    res.end(isJs ? js : HARNESS_HTML)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const address = server.address() as AddressInfo
  // Page errors go to the test log: a failing story should say why.
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`))
  page.on('console', (m) => m.type() === 'error' && console.error(`[page] ${m.text()}`))
  await page.goto(`http://127.0.0.1:${address.port}/index.html`)
  await page.waitForFunction(() => 'conch' in globalThis)
}

const pageState = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { conch: Harness }).conch.state())

async function pageUntil(page: Page, predicate: (s: HarnessState) => boolean): Promise<void> {
  let last: HarnessState | undefined
  await expect.poll(async () => predicate(last = await pageState(page)), {
    timeout: 45_000,
    message: `page state: ${JSON.stringify(last)}`,
  }).toBe(true)
}

test('a browser reaches the always-on peer over libp2p WebSockets', async ({ page }) => {
  const org = new TestOrg(51)
  org.createChannel(CHANNEL_ID)
  const relay = org.issue('always-on', ['relay'])
  const alice = org.issue('alice')
  const carol = org.issue('carol')
  const headless = await startHeadlessProcess(org, relay)
  cleanup.push(() => headless.stop())
  const shared = { anchor: formatOrgAnchor(org.anchor), bundle: org.bundle() }

  // Alice, a Node device, is linked to the always-on peer and posts.
  const alicePeer = spawnPeer({
    device: deviceConfig(shared, CHANNEL_ID, alice.secrets),
    libp2p: headless.address,
  })
  cleanup.push(() => alicePeer.stop())
  await alicePeer.until((s) => s.links.length === 1)
  alicePeer.post('the branch opens at 8')

  // Carol's browser dials the always-on peer over /ws; libp2p loads only now.
  await openHarness(page)
  const config = deviceConfig(shared, CHANNEL_ID, carol.secrets)
  await page.evaluate(async (c) => {
    const conch = (globalThis as unknown as { conch: Harness }).conch
    await conch.open(c)
  }, config)
  expect((await pageState(page)).libp2pLoaded).toBe(false)
  await page.evaluate(
    (addr) => (globalThis as unknown as { conch: Harness }).conch.dialLibp2p(addr),
    headless.address,
  )
  await pageUntil(page, (s) => s.texts.includes('the branch opens at 8'))
  const state = await pageState(page)
  expect(state.links).toEqual([{ kind: 'libp2p-stream', user: 'always-on' }])

  // And back: the always-on peer forwards Carol's message to Alice live.
  await page.evaluate(() => (globalThis as unknown as { conch: Harness }).conch.post('on my way'))
  await alicePeer.until((s) => s.texts.includes('on my way'))
  expect(alicePeer.state.rejected + (await pageState(page)).rejected).toBe(0)
})

test('a browser that was offline while the sender left gets the messages from the mailbox', async ({ page }) => {
  const org = new TestOrg(53)
  org.createChannel(CHANNEL_ID)
  const relay = org.issue('always-on', ['relay'])
  const alice = org.issue('alice')
  const carol = org.issue('carol')
  const headless = await startHeadlessProcess(org, relay)
  cleanup.push(() => headless.stop())
  const shared = { anchor: formatOrgAnchor(org.anchor), bundle: org.bundle() }
  // Carol's browser is online once (the mailbox learns her prekey bundle), then goes offline.
  await openHarness(page)
  await page.evaluate(
    (c) => (globalThis as unknown as { conch: Harness }).conch.open(c),
    deviceConfig(shared, CHANNEL_ID, carol.secrets),
  )
  const dial = () =>
    page.evaluate(
      (a) => (globalThis as unknown as { conch: Harness }).conch.dialLibp2p(a),
      headless.address,
    )
  await dial()
  await pageUntil(page, (s) => s.links.length === 1)
  await page.evaluate(() => (globalThis as unknown as { conch: Harness }).conch.hangUp())
  await expect.poll(async () => (await headless.metrics()).links.links).toBe(0)

  // Alice posts while Carol is away, and leaves once the mailbox holds it.
  const alicePeer = spawnPeer({
    device: deviceConfig(shared, CHANNEL_ID, alice.secrets),
    libp2p: headless.address,
  })
  cleanup.push(() => alicePeer.stop())
  await alicePeer.until((s) => s.links.length === 1)
  alicePeer.post('inventory count moved to monday')
  await expect.poll(async () => (await headless.metrics()).mailbox.envelopesHeld, {
    timeout: 30_000,
  }).toBe(1)
  await expect.poll(async () => (await headless.metrics()).mailbox.directHeld, {
    timeout: 30_000,
  }).toBeGreaterThanOrEqual(1)
  await alicePeer.stop()

  // Carol comes back: only the mailbox is there to hand her Alice's chain and message.
  await dial()
  await pageUntil(page, (s) => s.texts.includes('inventory count moved to monday'))
  expect((await pageState(page)).rejected).toBe(0)
})

test('two Node peers and a Chromium page share one channel over WebRTC', async ({ page }) => {
  const org = new TestOrg(52)
  org.createChannel(CHANNEL_ID)
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => org.issue(name))
  const signaling = await startSignalingProcess(org)
  cleanup.push(() => signaling.stop())
  const shared = { anchor: formatOrgAnchor(org.anchor), bundle: org.bundle() }
  const topic = 'd1'.repeat(32)
  const mesh = { wsUrl: signaling.wsUrl, topic }

  const nodes = [alice, bob].map((d) =>
    spawnPeer({ device: deviceConfig(shared, CHANNEL_ID, d.secrets), mesh })
  )
  for (const n of nodes) cleanup.push(() => n.stop())
  await openHarness(page)
  await page.evaluate(async ({ c, url, t }) => {
    const conch = (globalThis as unknown as { conch: Harness }).conch
    await conch.open(c)
    conch.joinMesh(url, t)
  }, { c: deviceConfig(shared, CHANNEL_ID, carol.secrets), url: signaling.wsUrl, t: topic })

  // Everyone authenticates everyone else inside the data channels.
  await pageUntil(page, (s) => s.links.length === 2)
  for (const n of nodes) await n.until((s) => s.links.length === 2)
  const users = (await pageState(page)).links.map((l) => l.user).sort()
  expect(users).toEqual(['alice', 'bob'])

  nodes[0].post('from alice (node)')
  nodes[1].post('from bob (node)')
  await page.evaluate(() =>
    (globalThis as unknown as { conch: Harness }).conch.post('from carol (chromium)')
  )
  const all = ['from alice (node)', 'from bob (node)', 'from carol (chromium)']
  await pageUntil(page, (s) => all.every((t) => s.texts.includes(t)))
  for (const n of nodes) await n.until((s) => all.every((t) => s.texts.includes(t)))
  expect((await pageState(page)).rejected).toBe(0)
})
