// Every main screen, desktop and phone size: an axe-core scan with no serious or critical
// violations, and a screenshot under test-results/screenshots/ to look at.
import { expect, type Page, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import { seriousViolations } from './support/axe.ts'
import {
  base,
  channelAdmin,
  channelLink,
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
const name = `lobby-${run}`
const link = channelLink(name)
let xia: Device
let yan: Device

const sizes = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
}

async function capture(page: Page, screen: string): Promise<void> {
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport)
    await page.waitForTimeout(150) // let the virtual list re-measure after the resize
    const found = await seriousViolations(page)
    expect(found, `${screen} (${size}): ${JSON.stringify(found, null, 1)}`).toEqual([])
    await page.screenshot({ path: `test-results/screenshots/${screen}-${size}.png` })
  }
  await page.setViewportSize(sizes.desktop)
}

test.beforeAll(async ({ browser }) => {
  const invite = createInvite(2)
  xia = await joinedDevice(browser, invite, `xia-${run}`, `Xia ${run}`)
  yan = await joinedDevice(browser, invite, `yan-${run}`, `Yan ${run}`)
  for (const d of [xia, yan]) await joinLink(d.page, link, name)
  await waitForPeers(xia.page, 1)
  await post(xia.page, 'Morning all. The **generator** check is done; see `log 42`.')
  await post(yan.page, `Thanks @Xia — I'll take the afternoon round.\n- fuel\n- batteries`)
  await post(xia.page, 'Anyone seen the spare keys? https://example.org/keys')
  await expect(message(xia.page, 'spare keys')).toHaveCount(1)
  await message(yan.page, 'Morning all').getByRole('button', { name: 'React 👍' }).click()
})

test.afterAll(async () => {
  for (const d of [xia, yan]) await d?.context.close()
})

test('join screen', async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(createInvite(1).slice(base.length))
  await expect(page.getByTestId('display-name')).toBeVisible()
  // The scan can fail: an image without a text alternative is a critical violation.
  await page.evaluate(() => document.body.append(document.createElement('img')))
  expect((await seriousViolations(page)).map((v) => v.id)).toContain('image-alt')
  await page.reload()
  await expect(page.getByTestId('display-name')).toBeVisible()
  await capture(page, 'join')
  await context.close()
})

test('home', async () => {
  await xia.page.goto('/#/')
  await expect(xia.page.getByTestId('home')).toBeVisible()
  await capture(xia.page, 'home')
})

test('channel with a thread', async () => {
  await xia.page.getByTestId('channel-link').filter({ hasText: name }).click()
  await message(xia.page, 'Morning all').getByRole('button', { name: 'Reply in thread' }).click()
  await xia.page.getByTestId('thread-composer').fill('Generator logs are in the blue binder.')
  await xia.page.getByRole('button', { name: 'Reply', exact: true }).click()
  await capture(xia.page, 'thread')
  await xia.page.getByRole('button', { name: 'Close thread' }).click()
  await capture(xia.page, 'channel')
})

test('a private channel and a DM', async () => {
  const board = `board-${run}`
  channelAdmin('create', board, '--private', '--member', `xia-${run}`, '--member', `yan-${run}`)
  await openChannel(xia.page, board)
  await expect(xia.page.getByTestId('channel-members')).toBeVisible()
  await post(xia.page, 'Quarterly numbers go here, not in #general.')
  await capture(xia.page, 'private-channel')
  await xia.page.goto('/#/members')
  await xia.page.getByTestId('member').filter({ hasText: `Yan ${run}` }).getByRole('link').click()
  await xia.page.getByRole('button', { name: 'Message' }).click()
  await post(xia.page, 'Can you cover my shift on Friday?')
  await capture(xia.page, 'dm')
})

test('members and verification', async () => {
  await xia.page.goto('/#/members')
  await expect(xia.page.getByTestId('member').first()).toBeVisible()
  await capture(xia.page, 'members')
  await xia.page.getByTestId('member').filter({ hasText: `Yan ${run}` }).getByRole('link').click()
  await expect(xia.page.getByTestId('safety-number')).toBeVisible()
  await capture(xia.page, 'verify')
})

test('search', async () => {
  await xia.page.goto('/#/search')
  await xia.page.getByTestId('search-input').fill('generator')
  await expect(xia.page.getByTestId('search-hit')).not.toHaveCount(0)
  await capture(xia.page, 'search')
})

test('settings, in Spanish', async () => {
  await xia.page.goto('/#/settings')
  await capture(xia.page, 'settings')
  await xia.page.getByTestId('language').selectOption('es')
  await expect(xia.page.getByRole('heading', { name: 'Ajustes' })).toBeVisible()
  await expect(xia.page.locator('html')).toHaveAttribute('lang', 'es')
  await capture(xia.page, 'settings-es')
  await xia.page.getByTestId('language').selectOption('en')
})

test('lock screen', async () => {
  await xia.page.goto('/#/settings')
  await xia.page.getByTestId('new-passphrase').fill(`lighthouse ${run} keeper`)
  await xia.page.getByRole('button', { name: 'Set passphrase' }).click()
  await expect(xia.page.getByTestId('passphrase-status')).toBeVisible()
  await xia.page.reload()
  await expect(xia.page.getByTestId('lock-screen')).toBeVisible()
  await capture(xia.page, 'lock')
})
