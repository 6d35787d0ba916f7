// Notifications: with the setting on and Conch in the background, a message from a colleague
// raises a system notification naming author and channel; in the foreground it does not.
import { expect, type Page, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import {
  base,
  channelLink,
  joinedDevice,
  joinLink,
  message,
  post,
  tag,
  waitForPeers,
} from './support/conch-app.ts'

/**
 * Records every notification the page raises (the real Notification still runs), and lets the
 * test hide the page: headless Chromium keeps every tab "visible", so the document's
 * visibilityState is overridden and its visibilitychange event fired, as a real tab switch does.
 */
const recordNotifications = () => {
  ;(globalThis as unknown as { __setHidden: (h: boolean) => void }).__setHidden = (hidden) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    })
    document.dispatchEvent(new Event('visibilitychange'))
  }
  const Original = globalThis.Notification
  const shown: { title: string; body: string }[] = []
  ;(globalThis as unknown as { __notes: typeof shown }).__notes = shown
  globalThis.Notification = class extends Original {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options)
      shown.push({ title, body: options?.body ?? '' })
    }
  } as typeof Notification
}

const notes = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { __notes: { title: string; body: string }[] }).__notes
  )

test('a message arriving while Conch is in the background raises a notification', async ({ browser }) => {
  const run = tag()
  const name = `alerts-${run}`
  const invite = createInvite(2)
  const zoe = await joinedDevice(browser, invite, `zoe-${run}`, `Zoe ${run}`)
  const abe = await joinedDevice(browser, invite, `abe-${run}`, `Abe ${run}`)
  await abe.context.grantPermissions(['notifications'], { origin: base })
  await abe.context.addInitScript(recordNotifications)
  await abe.page.reload()
  const link = channelLink(name)
  await joinLink(zoe.page, link, name)
  await joinLink(abe.page, link, name)
  await waitForPeers(zoe.page, 1)

  await abe.page.goto('/#/settings')
  await abe.page.getByLabel(/Notify me of new messages/).check()
  await abe.page.getByTestId('channel-link').filter({ hasText: name }).click()

  const seen = `In the foreground ${tag()}`
  await post(zoe.page, seen)
  await expect(message(abe.page, seen)).toHaveCount(1)
  expect(await notes(abe.page)).toEqual([])

  // Abe switches to another tab: Conch's page is hidden.
  await abe.page.evaluate(() =>
    (globalThis as unknown as { __setHidden: (h: boolean) => void }).__setHidden(true)
  )
  const text = `While you were away ${tag()}`
  await post(zoe.page, text)
  await expect.poll(() => notes(abe.page)).toEqual([
    { title: `Zoe ${run} in #${name}`, body: text },
  ])
  // Hidden, the channel is not marked read: the unread badge waits for Abe's return.
  await expect(
    abe.page.getByTestId('channel-link').filter({ hasText: name })
      .getByTestId('unread-badge'),
  ).toContainText('1')
  await abe.page.evaluate(() =>
    (globalThis as unknown as { __setHidden: (h: boolean) => void }).__setHidden(false)
  )
  await expect(
    abe.page.getByTestId('channel-link').filter({ hasText: name })
      .getByTestId('unread-badge'),
  ).toHaveCount(0)

  // A direct message arriving in the background says so rather than naming a channel.
  await abe.page.evaluate(() =>
    (globalThis as unknown as { __setHidden: (h: boolean) => void }).__setHidden(true)
  )
  await zoe.page.goto('/#/members')
  await zoe.page.getByTestId('member').filter({ hasText: `Abe ${run}` }).getByRole('link').click()
  await zoe.page.getByRole('button', { name: 'Message' }).click()
  await waitForPeers(zoe.page, 1)
  const direct = `Just for you ${tag()}`
  await post(zoe.page, direct)
  await expect.poll(() => notes(abe.page)).toContainEqual({
    title: `Zoe ${run} (direct message)`,
    body: direct,
  })
  await zoe.context.close()
  await abe.context.close()
})
