// Journeys in org channels (from the org log; sender keys, signed envelopes, authenticated
// links): a channel the admin creates appears on every device and carries messages; in a
// broadcast channel a publisher posts and a member can only read.
import { expect, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import {
  createOrgChannel,
  type Device,
  joinedDevice,
  message,
  openChannel,
  post,
  tag,
  waitForPeers,
} from './support/conch-app.ts'

test.describe.configure({ mode: 'serial' })

const run = tag()
const ops = `ops-${run}`
const news = `news-${run}`
let pia: Device
let quinn: Device
let rosa: Device

test.beforeAll(async ({ browser }) => {
  const invite = createInvite(3)
  pia = await joinedDevice(browser, invite, `pia-${run}`, `Pia ${run}`, 'member,publisher')
  quinn = await joinedDevice(browser, invite, `quinn-${run}`, `Quinn ${run}`)
  rosa = await joinedDevice(browser, invite, `rosa-${run}`, `Rosa ${run}`)
  createOrgChannel(ops)
  createOrgChannel(news, true)
})

test.afterAll(async () => {
  for (const d of [pia, quinn, rosa]) await d?.context.close()
})

test('an org channel appears on every device and carries messages', async () => {
  for (const d of [pia, quinn, rosa]) await openChannel(d.page, ops)
  for (const d of [pia, quinn, rosa]) await waitForPeers(d.page, 2)
  const text = `Shift starts at 8 ${tag()}`
  await post(pia.page, text)
  for (const d of [quinn, rosa]) {
    await expect(message(d.page, text)).toHaveCount(1)
    await expect(message(d.page, text).locator('.author')).toHaveText(`Pia ${run}`)
  }
})

// The sender-key engine does not yet deliver the second author's chain to a device that
// started its own pairwise session at the same time (directRejected: protocol/no-session on the
// first author's side). Enable once client/engine settles simultaneous session starts.
test.fixme('a second author in the same org channel reaches the first', async () => {
  const text = `Copy that ${tag()}`
  await post(quinn.page, text)
  await expect(message(pia.page, text)).toHaveCount(1)
})

test('in a broadcast channel a publisher posts and a member can only read', async () => {
  for (const d of [pia, quinn]) await openChannel(d.page, news)
  // Org channels open on every member device, so all three are connected.
  await waitForPeers(pia.page, 2)
  await expect(quinn.page.getByTestId('read-only')).toBeVisible()
  await expect(quinn.page.getByTestId('composer')).toHaveCount(0)
  await expect(pia.page.getByTestId('read-only')).toHaveCount(0)
  const text = `Branch closes early today ${tag()}`
  await post(pia.page, text)
  await expect(message(quinn.page, text)).toHaveCount(1)
  // No reacting either: a member writes nothing into a broadcast channel.
  await expect(message(quinn.page, text).getByRole('button', { name: 'React 👍' })).toHaveCount(0)
})
