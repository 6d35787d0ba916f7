// A passkey (WebAuthn PRF) instead of a passphrase: Chromium's virtual authenticator (CDP) plays
// a platform authenticator with PRF; after a reload the device opens only through it.
import { expect, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import { channelLink, joinedDevice, joinLink, message, post, tag } from './support/conch-app.ts'

test('a passkey with the PRF extension locks and unlocks the device', async ({ browser }) => {
  const run = tag()
  const name = `keyring-${run}`
  const me = await joinedDevice(browser, createInvite(1), `pat-${run}`, `Pat ${run}`)
  const { page, context } = me
  const cdp = await context.newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf: true,
      automaticPresenceSimulation: true,
    },
  })
  await joinLink(page, channelLink(name), name)
  const text = `kept behind a passkey ${tag()}`
  await post(page, text)

  await page.goto('/#/settings')
  await page.getByTestId('use-passkey').click()
  await expect(page.getByTestId('passkey-status')).toHaveText('Passkey saved.')
  await expect(page.getByTestId('lock-state')).toHaveText(/unlocks with a passkey/)
  const record = await page.evaluate(() => localStorage.getItem('conch-device-lock'))
  expect([...Buffer.from(record!, 'base64url').subarray(0, 2)]).toEqual([1, 2])

  await page.reload()
  await expect(page.getByTestId('lock-screen')).toBeVisible()
  await expect(page.getByTestId('channel-link')).toHaveCount(0)
  await page.getByTestId('unlock-passkey').click()
  await expect(page.getByTestId('lock-screen')).toHaveCount(0)
  await page.getByTestId('channel-link').filter({ hasText: name }).click()
  await expect(message(page, text)).toHaveCount(1)
  await context.close()
})
