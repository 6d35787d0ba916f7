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
  pia = await joinedDevice(browser, invite, `pia-${run}`, `Pia ${run}`, 'member,publisher,admin')
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

test('every author in the org channel reaches every other', async () => {
  const fromQuinn = `Copy that ${tag()}`
  await post(quinn.page, fromQuinn)
  for (const d of [pia, rosa]) await expect(message(d.page, fromQuinn)).toHaveCount(1)
  const fromRosa = `On my way ${tag()}`
  await post(rosa.page, fromRosa)
  for (const d of [pia, quinn]) await expect(message(d.page, fromRosa)).toHaveCount(1)
})

test("an admin deletes a member's message for everyone (moderation)", async () => {
  const spam = `Buy cheap watches ${tag()}`
  await post(quinn.page, spam)
  for (const d of [pia, rosa]) await expect(message(d.page, spam)).toHaveCount(1)
  // Rosa is a member: no Delete on someone else's message.
  await expect(message(rosa.page, spam).getByRole('button', { name: 'Delete' })).toHaveCount(0)
  pia.page.once('dialog', (d) => d.accept())
  await message(pia.page, spam).getByRole('button', { name: 'Delete' }).click()
  for (const d of [pia, quinn, rosa]) await expect(message(d.page, spam)).toHaveCount(0)
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
