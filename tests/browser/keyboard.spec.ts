// Keyboard only: from the top of the page, Tab reaches the channel, the messages and their
// actions, and the composer; Enter sends.
import { expect, type Page, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import { channelLink, joinedDevice, joinLink, message, post, tag } from './support/conch-app.ts'

/** Presses Tab until `matches` holds for the focused element (at most `limit` times). */
async function tabTo(page: Page, matches: string, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, matches)) {
      return
    }
  }
  throw new Error(`Tab never reached ${matches}`)
}

test('everything is reachable and usable from the keyboard', async ({ browser }) => {
  const run = tag()
  const name = `keys-${run}`
  const me = await joinedDevice(browser, createInvite(1), `kai-${run}`, `Kai ${run}`)
  const { page } = me
  await joinLink(page, channelLink(name), name)
  await post(page, `First note ${run}`)
  await page.goto('/#/')
  await page.locator('body').focus()

  // Other channels (the org's #general) may come first: Tab on to this one.
  for (let i = 0; i < 10; i++) {
    await tabTo(page, `[data-testid=channel-link]`)
    if ((await page.locator(':focus').textContent())?.includes(name)) break
  }
  await expect(page.locator(':focus')).toContainText(name)
  await page.keyboard.press('Enter')
  await expect(page.locator('#channel-title')).toContainText(name)

  // A message takes focus and shows its actions; Tab walks into them.
  await tabTo(page, '[data-testid=message]')
  const actions = message(page, `First note ${run}`).getByRole('toolbar')
  await expect(actions).toHaveCSS('opacity', '1')
  await page.keyboard.press('Tab')
  await expect(page.locator(':focus')).toHaveText('Reply in thread')

  await tabTo(page, '#composer-input')
  const text = `Typed without a mouse ${run}`
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
  await expect(message(page, text)).toHaveCount(1)
  await expect(page.locator('#composer-input')).toHaveValue('')
  await me.context.close()
})
