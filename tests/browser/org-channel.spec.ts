// Journeys in org channels (from the org log; sender keys, signed envelopes, authenticated
// links): a channel the admin creates appears on every device and carries messages; in a
// broadcast channel a publisher posts and a member can only read; a private channel is seen and
// read by its members only, and a member removed from it reads nothing written after.
import { expect, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import {
  channelAdmin,
  createOrgChannel,
  type Device,
  engineView,
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
const board = `board-${run}`
const users = { pia: `pia-${run}`, quinn: `quinn-${run}`, rosa: `rosa-${run}` }
let pia: Device
let quinn: Device
let rosa: Device

test.beforeAll(async ({ browser }) => {
  const invite = createInvite(3)
  pia = await joinedDevice(browser, invite, users.pia, `Pia ${run}`, 'member,publisher,admin')
  quinn = await joinedDevice(browser, invite, users.quinn, `Quinn ${run}`)
  rosa = await joinedDevice(browser, invite, users.rosa, `Rosa ${run}`)
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

test('a private channel is seen and read by its members only', async () => {
  channelAdmin('create', board, '--private', '--member', users.pia, '--member', users.quinn)
  for (const d of [pia, quinn]) await openChannel(d.page, board)
  await expect(pia.page.locator('#channel-title').getByTestId('private-channel')).toBeVisible()
  await expect(pia.page.getByTestId('channel-members')).toHaveText(
    `Members: Pia ${run}, Quinn ${run}`,
  )
  await waitForPeers(pia.page, 1)
  const text = `Salary review notes ${tag()}`
  await post(pia.page, text)
  await expect(message(quinn.page, text)).toHaveCount(1)
  // Rosa's device has had the same org log all along: the channel is not in her list, and her
  // engine never opened it.
  await expect(rosa.page.getByTestId('channel-link').filter({ hasText: ops })).toBeVisible()
  await expect(rosa.page.getByTestId('channel-link').filter({ hasText: board })).toHaveCount(0)
  expect((await engineView(rosa.page, board)).texts).toEqual([])
})

test('a member removed from a private channel reads nothing written after', async () => {
  const before = `Before the change ${tag()}`
  await post(pia.page, before)
  await expect(message(quinn.page, before)).toHaveCount(1)
  channelAdmin('remove', board, users.quinn)
  channelAdmin('add', board, users.rosa)
  // Quinn's list drops the channel and her device leaves its topic; Rosa's list gains it.
  await expect(quinn.page.getByTestId('channel-link').filter({ hasText: board })).toHaveCount(0)
  await expect.poll(async () => (await engineView(quinn.page, board)).linked).toBe(0)
  await openChannel(rosa.page, board)
  const after = `After the change ${tag()}`
  await post(pia.page, after)
  await expect(message(rosa.page, after)).toHaveCount(1)
  // Quinn keeps what she read before; nothing after reaches her device (and the chain for the
  // new epoch went to the remaining members only: tests/client/private-channel.test.ts).
  const quinnSees = await engineView(quinn.page, board)
  expect(quinnSees.linked).toBe(0)
  expect(quinnSees.texts).toContain(before)
  expect(quinnSees.texts).not.toContain(after)
})
