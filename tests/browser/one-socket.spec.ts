// One signaling socket per page: a device with every org channel, #general, a new org channel and
// a link channel open holds exactly one WebSocket to the worker; messages flow in both channels
// between two devices (separate contexts, real worker, real WebRTC); after going offline and back,
// the page has opened one more socket, no other, and what was composed offline arrives once.
// CONCH_ONE_SOCKET_EXTRA (default 2) sets how many more org channels each page opens, for measuring.
import { expect, type Page, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import {
  base,
  channelLink,
  createOrgChannel,
  type Device,
  joinedDevice,
  joinLink,
  message,
  openChannel,
  post,
  tag,
  waitForPeers,
} from './support/conch-app.ts'

test.describe.configure({ mode: 'serial' })

const run = tag()
const desk = `desk-${run}`
const field = `field-${run}`
const fieldLink = channelLink(field)
const extra = Array.from(
  { length: Number(process.env.CONCH_ONE_SOCKET_EXTRA ?? 2) },
  (_, i) => `spare-${i}-${run}`,
)
let ida: Device
let jon: Device
/** Every WebSocket each page opened since its reload, by page. */
const sockets = new Map<Page, { url: string; closed: boolean }[]>()

/** Starts counting the page's WebSockets from a fresh load. */
async function countSockets(page: Page): Promise<void> {
  const seen: { url: string; closed: boolean }[] = []
  sockets.set(page, seen)
  page.on('websocket', (ws) => {
    const entry = { url: ws.url(), closed: false }
    seen.push(entry)
    ws.on('close', () => entry.closed = true)
  })
  await page.reload()
}

const opened = (page: Page) => sockets.get(page)!.length
const stillOpen = (page: Page) => sockets.get(page)!.filter((s) => !s.closed).length

/** Waits until every channel in the sidebar has an engine (and so a connection) on the page. */
async function allChannelsOpen(page: Page): Promise<number> {
  const links = page.getByTestId('channel-link')
  await expect(links.first()).toBeVisible()
  await expect.poll(async () => {
    const listed = await links.count()
    const engines = await page.evaluate(() => window.__conch?.engines.size ?? 0)
    return engines >= listed ? listed : -1
  }, { timeout: 30_000 }).toBeGreaterThan(0)
  return await links.count()
}

/** The worker's connections gauge (GET /metrics). */
async function workerConnections(): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text()
  return Number(/^conch_connections (\d+)$/m.exec(text)?.[1])
}

test.beforeAll(async ({ browser }) => {
  const invite = createInvite(2)
  ida = await joinedDevice(browser, invite, `ida-${run}`, `Ida ${run}`)
  jon = await joinedDevice(browser, invite, `jon-${run}`, `Jon ${run}`)
  // Desk last: once it shows, the spare channels (earlier in the org log) are there too.
  for (const name of [...extra, desk]) createOrgChannel(name)
  for (const d of [ida, jon]) {
    await countSockets(d.page)
    await joinLink(d.page, fieldLink, field)
    await openChannel(d.page, desk)
    await openChannel(d.page, 'general')
  }
})

test.afterAll(async () => {
  for (const d of [ida, jon]) await d?.context.close()
})

test('a device with several channels open holds one WebSocket, and both channels carry messages', async () => {
  const channels = await allChannelsOpen(ida.page)
  await allChannelsOpen(jon.page)
  await openChannel(ida.page, desk)
  await openChannel(jon.page, desk)
  await waitForPeers(ida.page, 1)
  const gauge = await workerConnections()
  console.log(
    `one-socket: ${channels} channels open per page; WebSockets opened per page: ` +
      `${opened(ida.page)} and ${opened(jon.page)}; worker conch_connections gauge: ${gauge}`,
  )
  for (const d of [ida, jon]) {
    expect(opened(d.page)).toBe(1)
    expect(stillOpen(d.page)).toBe(1)
  }
  expect(channels).toBeGreaterThanOrEqual(3 + extra.length)

  const inDesk = `Desk is staffed ${tag()}`
  await post(ida.page, inDesk)
  await expect(message(jon.page, inDesk)).toHaveCount(1)

  await joinLink(ida.page, fieldLink, field)
  await joinLink(jon.page, fieldLink, field)
  await waitForPeers(jon.page, 1)
  const inField = `Truck 4 is back ${tag()}`
  await post(jon.page, inField)
  await expect(message(ida.page, inField)).toHaveCount(1)
  // Moving between channels opened no socket.
  for (const d of [ida, jon]) expect(opened(d.page)).toBe(1)
})

test('offline and back: one new socket, and what was composed offline arrives once', async () => {
  await ida.context.setOffline(true)
  await expect(ida.page.getByTestId('sync-status')).toHaveText('Offline')
  await expect.poll(() => stillOpen(ida.page)).toBe(0)
  const fieldNote = `field note offline ${tag()}`
  await joinLink(ida.page, fieldLink, field)
  await expect(ida.page.getByTestId('connection')).toHaveText(/Offline/)
  await post(ida.page, fieldNote)
  const deskNote = `desk note offline ${tag()}`
  await openChannel(ida.page, desk)
  await expect(ida.page.getByTestId('connection')).toHaveText(/Offline/)
  await post(ida.page, deskNote)

  await ida.context.setOffline(false)
  await expect(ida.page.getByTestId('sync-status')).toHaveText('Online')
  // Both channels recover over the one new socket.
  await waitForPeers(ida.page, 1)
  await openChannel(jon.page, desk)
  await expect(message(jon.page, deskNote)).toHaveCount(1)
  await joinLink(jon.page, fieldLink, field)
  await expect(message(jon.page, fieldNote)).toHaveCount(1)
  await joinLink(ida.page, fieldLink, field)
  await waitForPeers(ida.page, 1)
  expect(opened(ida.page)).toBe(2)
  expect(stillOpen(ida.page)).toBe(1)
  console.log(
    `one-socket: after offline/online, WebSockets opened by the page: ${opened(ida.page)}, ` +
      `open: ${stillOpen(ida.page)}; worker conch_connections gauge: ${await workerConnections()}`,
  )
})
