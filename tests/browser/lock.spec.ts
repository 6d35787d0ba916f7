// The device lock: a passphrase wraps the storage key; after a reload nothing opens until it is
// typed, and everything is still there afterwards.
import { expect, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import { channelLink, joinedDevice, joinLink, message, post, tag } from './support/conch-app.ts'

test('after a reload the app stays locked until the passphrase, then everything is there', async ({ browser }) => {
  const run = tag()
  const name = `vault-${run}`
  const me = await joinedDevice(browser, createInvite(1), `wes-${run}`, `Wes ${run}`)
  const { page } = me
  await joinLink(page, channelLink(name), name)
  const text = `remember the combination ${tag()}`
  await post(page, text)
  await expect(message(page, text)).toHaveCount(1)

  await page.goto('/#/settings')
  await expect(page.getByTestId('lock-state')).toHaveText(/no passphrase/)
  await page.getByTestId('new-passphrase').fill('short')
  await page.getByRole('button', { name: 'Set passphrase' }).click()
  await expect(page.getByTestId('passphrase-status')).toHaveText('Use at least 8 characters.')
  const passphrase = `tide pool ${run} lantern`
  await page.getByTestId('new-passphrase').fill(passphrase)
  await page.getByRole('button', { name: 'Set passphrase' }).click()
  await expect(page.getByTestId('passphrase-status')).toHaveText('Passphrase saved.')
  // The stored record is the passphrase-wrapped kind (version 1, kind 1), not the bare key.
  const record = await page.evaluate(() => localStorage.getItem('conch-device-lock'))
  expect([...Buffer.from(record!, 'base64url').subarray(0, 2)]).toEqual([1, 1])

  await page.reload()
  await expect(page.getByTestId('lock-screen')).toBeVisible()
  await expect(page.getByTestId('channel-link')).toHaveCount(0)
  await page.getByTestId('unlock-passphrase').fill('not the passphrase')
  await page.getByRole('button', { name: 'Unlock' }).click()
  await expect(page.getByTestId('unlock-error')).toBeVisible()
  await expect(page.getByTestId('channel-link')).toHaveCount(0)

  await page.getByTestId('unlock-passphrase').fill(passphrase)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await expect(page.getByTestId('lock-screen')).toHaveCount(0)
  await page.getByTestId('channel-link').filter({ hasText: name }).click()
  await expect(message(page, text)).toHaveCount(1)
  await me.context.close()
})
