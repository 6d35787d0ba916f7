// Offline: messages composed while the network is gone are kept, go out when it returns, and
// arrive once and in order; the service worker serves the app shell to an offline reload.
import { expect, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import {
  channelLink,
  type Device,
  joinedDevice,
  joinLink,
  message,
  post,
  tag,
  waitForPeers,
} from './support/conch-app.ts'

test.describe.configure({ mode: 'serial' })

const run = tag()
const name = `field-${run}`
const link = channelLink(name)
let uma: Device
let vic: Device

test.beforeAll(async ({ browser }) => {
  const invite = createInvite(2)
  uma = await joinedDevice(browser, invite, `uma-${run}`, `Uma ${run}`)
  vic = await joinedDevice(browser, invite, `vic-${run}`, `Vic ${run}`)
  for (const d of [uma, vic]) await joinLink(d.page, link, name)
  for (const d of [uma, vic]) await waitForPeers(d.page, 1)
})

test.afterAll(async () => {
  for (const d of [uma, vic]) await d?.context.close()
})

test('composed offline, delivered once and in order after reconnecting', async () => {
  await uma.context.setOffline(true)
  // The app drops its sockets and says so.
  await expect(uma.page.getByTestId('sync-status')).toHaveText('Offline')
  await expect(uma.page.getByTestId('connection')).toHaveText(/Offline/)
  await expect(vic.page.getByTestId('connection')).toHaveText(/waiting for other devices/)
  const texts = [1, 2, 3].map((i) => `offline note ${i} ${tag()}`)
  for (const t of texts) await post(uma.page, t)
  for (const t of texts) {
    await expect(message(uma.page, t).getByTestId('delivery')).toHaveAttribute(
      'data-state',
      'pending',
    )
  }
  await expect(message(vic.page, 'offline note')).toHaveCount(0)
  await uma.context.setOffline(false)
  await expect(uma.page.getByTestId('sync-status')).toHaveText('Online')
  for (const t of texts) await expect(message(vic.page, t)).toHaveCount(1)
  // Once each, in the order they were written.
  const seen = await message(vic.page, 'offline note').locator('[data-testid=message-text]')
    .allTextContents()
  expect(seen.map((s) => s.trim())).toEqual(texts)
})

test('the service worker serves the app shell to an offline reload', async () => {
  const { page, context } = uma
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 20_000,
  })
  await context.setOffline(true)
  await page.reload()
  // The shell, the channel and its messages all come from this device: no network at all.
  await expect(page.getByTestId('sync-status')).toHaveText('Offline')
  await expect(page.locator('#channel-title')).toContainText(name)
  await expect(message(page, 'offline note 3')).toHaveCount(1)
  await context.setOffline(false)
  await expect(page.getByTestId('sync-status')).toHaveText('Online')
})
