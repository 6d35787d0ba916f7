// Typing and presence between two devices (separate contexts, real worker, WebRTC): Ben sees Ana
// here and typing; once she sends, the indicator goes; with the setting off, Ana neither shows
// that she types nor sees Ben typing.
import { expect, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import {
  channelLink,
  joinedDevice,
  joinLink,
  post,
  tag,
  waitForPeers,
} from './support/conch-app.ts'

test('typing and presence show between devices, and the opt-out stops them both ways', async ({ browser }) => {
  const run = tag()
  const name = `typing-${run}`
  const link = channelLink(name)
  const invite = createInvite(2)
  const ana = await joinedDevice(browser, invite, `ana-t-${run}`, `Ana ${run}`)
  const ben = await joinedDevice(browser, invite, `ben-t-${run}`, `Ben ${run}`)
  for (const d of [ana, ben]) await joinLink(d.page, link, name)
  for (const d of [ana, ben]) await waitForPeers(d.page, 1)

  await expect(ben.page.getByTestId('present')).toContainText(`Ana ${run}`)
  await ana.page.getByTestId('composer').pressSequentially('hello the')
  await expect(ben.page.getByTestId('typing')).toHaveText(`Ana ${run} is typing…`)
  await ana.page.keyboard.press('Enter')
  await expect(ben.page.getByTestId('typing')).toHaveText('')

  // Ana turns typing indicators off: hers are not sent, and Ben's are not shown to her.
  await ana.page.goto('/#/settings')
  await ana.page.getByTestId('share-typing').uncheck()
  await joinLink(ana.page, link, name)
  await waitForPeers(ana.page, 1)
  await ana.page.getByTestId('composer').pressSequentially('quietly')
  // Ben types too; then his marker reaches Ana, whose read receipt comes back over the same
  // ordered channel, after anything her typing would have sent.
  await ben.page.getByTestId('composer').pressSequentially('and you')
  await post(ben.page, `marker ${run}`)
  await expect(ana.page.getByTestId('message').filter({ hasText: `marker ${run}` })).toHaveCount(1)
  const receipt = ben.page.getByTestId('message').filter({ hasText: `marker ${run}` })
    .getByTestId('delivery')
  await expect(receipt).toHaveAttribute('data-state', 'read')
  // Typing signals last 6 s, so had one been sent it would still show on Ben's screen now.
  expect(await ben.page.getByTestId('typing').textContent()).toBe('')
  await expect(ana.page.getByTestId('typing')).toHaveText('')
  for (const d of [ana, ben]) await d.context.close()
})
