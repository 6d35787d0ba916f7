// Walking skeleton: two devices join the org through the admin CLI, then, in separate browser
// contexts (so BroadcastChannel cannot short-cut WebRTC), chat through the real signaling worker
// (with certificate admission) and an RTCDataChannel; the message survives a reload.
import { expect, type Page, test } from '@playwright/test'
import { randomBytes } from 'node:crypto'
import { createInvite, enroll } from './support/dev-org.ts'

/**
 * Records every BroadcastChannel and what is posted on it, so the test can prove that no message
 * content travelled that way (Dexie opens one named 'x-storagemutated-1' for its own change events).
 */
const recordBroadcastChannels = () => {
  const Original = globalThis.BroadcastChannel
  const log = { names: [] as string[], posted: [] as string[] }
  ;(globalThis as unknown as { __bc: typeof log }).__bc = log
  globalThis.BroadcastChannel = class extends Original {
    constructor(name: string) {
      super(name)
      log.names.push(name)
    }
    override postMessage(message: unknown) {
      try {
        log.posted.push(JSON.stringify(message))
      } catch {
        log.posted.push(String(message))
      }
      super.postMessage(message)
    }
  }
}

const stats = (page: Page) =>
  page.evaluate(() => {
    const s = window.__conch?.session()
    return {
      acceptedVia: { ...(s?.engine.stats.acceptedVia ?? {}) },
      broadcast: (globalThis as unknown as { __bc: { names: string[]; posted: string[] } }).__bc,
    }
  })

test('a message typed in A reaches B over a WebRTC data channel and survives a reload', async ({ browser }) => {
  const link = `/#/channel/general/${randomBytes(32).toString('base64url')}`
  const contextA = await browser.newContext()
  const contextB = await browser.newContext()
  await contextA.addInitScript(recordBroadcastChannels)
  await contextB.addInitScript(recordBroadcastChannels)
  const a = await contextA.newPage()
  const b = await contextB.newPage()
  // Each device joins the org for real: keys, a certificate request, approval by the admin CLI.
  const invite = createInvite(2)
  await enroll(a, invite, 'alice', 'Alice')
  await enroll(b, invite, 'bob', 'Bob')
  await a.goto(link)
  await b.goto(link)
  await expect(a.getByTestId('connection')).toHaveText(/1 device connected/, { timeout: 30_000 })
  await expect(b.getByTestId('connection')).toHaveText(/1 device connected/, { timeout: 30_000 })

  const text = `hello from A ${randomBytes(4).toString('hex')} <b>not bold</b>`
  await a.getByTestId('composer').fill(text)
  await a.getByRole('button', { name: 'Send' }).click()
  await expect(b.getByTestId('message').filter({ hasText: text })).toHaveCount(1)
  // Peer text is text: the markup arrived as characters, not as an element.
  await expect(b.locator('[data-testid=message] b')).toHaveCount(0)

  const received = await stats(b)
  expect(received.acceptedVia['webrtc-datachannel']).toBeGreaterThanOrEqual(1)
  expect(Object.keys(received.acceptedVia)).toEqual(['webrtc-datachannel'])
  for (const page of [a, b]) {
    const { broadcast } = await stats(page)
    expect(broadcast.names.filter((n) => !/storagemutated/.test(n))).toEqual([])
    expect(broadcast.posted.filter((p) => p.includes('hello from A'))).toEqual([])
  }

  // A goes away entirely: after the reload B can only have the message from its own IndexedDB.
  await contextA.close()
  await b.reload()
  await expect(b.getByTestId('message').filter({ hasText: text })).toHaveCount(1)
  const afterReload = await stats(b)
  expect(afterReload.acceptedVia).toEqual({})
  await contextB.close()
})
