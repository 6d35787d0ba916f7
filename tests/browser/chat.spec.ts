// Journeys in a channel between three devices (separate browser contexts, the real signaling
// worker, WebRTC data channels): chat, thread, reactions, edit, delete, unread counts, search
// across channels, safety numbers, and a DM with read receipts.
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
const names = { a: `Ana ${run}`, b: `Ben ${run}`, c: `Cleo ${run}` }
const general = `general-${run}`
const random = `random-${run}`
const generalLink = channelLink(general)
const randomLink = channelLink(random)
let ana: Device
let ben: Device
let cleo: Device

test.beforeAll(async ({ browser }) => {
  const invite = createInvite(3)
  ana = await joinedDevice(browser, invite, `ana-${run}`, names.a)
  ben = await joinedDevice(browser, invite, `ben-${run}`, names.b)
  cleo = await joinedDevice(browser, invite, `cleo-${run}`, names.c)
  for (const d of [ana, ben, cleo]) await joinLink(d.page, generalLink, general)
  for (const d of [ana, ben, cleo]) await waitForPeers(d.page, 2)
})

test.afterAll(async () => {
  for (const d of [ana, ben, cleo]) await d?.context.close()
})

test('three devices chat; authors are named from their certificates', async () => {
  const hello = `Hello team ${tag()} **bold** and @${names.b.split(' ')[0]}`
  await post(ana.page, hello.replace(/\*\*/g, '**'))
  for (const d of [ben, cleo]) {
    const m = d.page.getByTestId('message').filter({ hasText: 'Hello team' }).last()
    await expect(m).toBeVisible()
    await expect(m.locator('.author')).toHaveText(names.a)
    // The markdown subset became elements: bold is <strong>, the mention is a span.
    await expect(m.locator('strong')).toHaveText('bold')
  }
  const reply = `Ben here ${tag()}`
  await post(ben.page, reply)
  await expect(message(ana.page, reply)).toHaveCount(1)
  await expect(message(cleo.page, reply)).toHaveCount(1)
  const third = `Cleo too ${tag()}`
  await post(cleo.page, third)
  await expect(message(ana.page, third)).toHaveCount(1)
  await expect(message(ben.page, third)).toHaveCount(1)
})

test('reply in a thread', async () => {
  const root = `Thread root ${tag()}`
  await post(ana.page, root)
  await expect(message(ben.page, root)).toHaveCount(1)
  await message(ben.page, root).getByRole('button', { name: 'Reply in thread' }).click()
  const panel = ben.page.getByTestId('thread-panel')
  await expect(panel).toBeVisible()
  const answer = `Thread answer ${tag()}`
  await panel.getByTestId('thread-composer').fill(answer)
  await panel.getByRole('button', { name: 'Reply' }).click()
  await expect(panel.getByTestId('message').filter({ hasText: answer })).toHaveCount(1)
  // The reply is in the thread, not in the channel, and Ana sees the count and the reply.
  await expect(ben.page.getByTestId('messages').getByText(answer)).toHaveCount(0)
  await expect(message(ana.page, root).getByTestId('thread-count')).toHaveText('1 reply')
  await message(ana.page, root).getByTestId('thread-count').click()
  await expect(ana.page.getByTestId('thread-panel').getByText(answer)).toBeVisible()
  await ana.page.getByRole('button', { name: 'Close thread' }).click()
  await ben.page.getByRole('button', { name: 'Close thread' }).click()
})

test('react, edit and delete own messages', async () => {
  const text = `Reactable ${tag()}`
  await post(ana.page, text)
  await expect(message(ben.page, text)).toHaveCount(1)
  await message(ben.page, text).getByRole('button', { name: 'React 👍' }).click()
  await message(cleo.page, text).getByRole('button', { name: 'React 👍' }).click()
  await expect(message(ana.page, text).getByTestId('reaction')).toHaveText('👍 2')
  // Only the author gets Edit and Delete.
  await expect(message(ben.page, text).getByRole('button', { name: 'Edit' })).toHaveCount(0)
  await message(ana.page, text).getByRole('button', { name: 'Edit' }).click()
  const edited = `${text} (fixed typo)`
  await ana.page.getByTestId('edit-input').fill(edited)
  await ana.page.getByRole('button', { name: 'Save' }).click()
  await expect(message(ben.page, edited)).toHaveCount(1)
  await expect(message(ben.page, edited).getByTestId('edited')).toBeVisible()
  ana.page.once('dialog', (d) => d.accept())
  await message(ana.page, edited).getByRole('button', { name: 'Delete' }).click()
  await expect(message(cleo.page, edited)).toHaveCount(0)
  await expect(cleo.page.getByText('This message was deleted.')).not.toHaveCount(0)
})

test('unread counts while looking elsewhere; search finds a message from another channel', async () => {
  for (const d of [ana, ben]) await joinLink(d.page, randomLink, random)
  await waitForPeers(ben.page, 1)
  // Ana reads something else; Ben posts in #random.
  await ana.page.goto('/#/members')
  const needle = `zebracrossing${tag()}`
  await post(ben.page, `Did anyone see the ${needle} sign?`)
  const badge = ana.page.getByTestId('channel-link').filter({ hasText: random })
    .getByTestId('unread-badge')
  await expect(badge).toContainText('1')
  await ana.page.goto('/#/search')
  await ana.page.getByTestId('search-input').fill(needle.slice(0, 10))
  const hit = ana.page.getByTestId('search-hit').filter({ hasText: needle })
  await expect(hit).toHaveCount(1)
  await expect(hit).toContainText(random)
  await hit.getByRole('link').click()
  await expect(ana.page.locator('#channel-title')).toContainText(random)
  await expect(message(ana.page, needle)).toHaveCount(1)
  // The "new messages" divider sits above what was unread when the channel opened.
  await expect(
    ana.page.locator('.row', { has: message(ana.page, needle) })
      .getByTestId('unread-divider'),
  ).toBeVisible()
  await expect(badge).toHaveCount(0)
})

test('safety numbers match on both devices', async () => {
  const numberSeen = async (d: Device, other: string) => {
    await d.page.goto('/#/members')
    await d.page.getByTestId('member').filter({ hasText: other }).getByRole('link').click()
    const n = d.page.getByTestId('safety-number')
    await expect(n).toHaveText(/^(\d{5}){12}$/)
    await expect(d.page.getByTestId('qr-code')).toBeVisible()
    return await n.textContent()
  }
  const seenByAna = await numberSeen(ana, names.b)
  const seenByBen = await numberSeen(ben, names.a)
  expect(seenByAna).toBe(seenByBen)
  const seenByCleo = await numberSeen(cleo, names.a)
  expect(seenByCleo).not.toBe(seenByAna)
})

test('a DM rings the other device, and shows when it was read', async () => {
  await ana.page.goto('/#/members')
  await ana.page.getByTestId('member').filter({ hasText: names.b }).getByRole('link').click()
  await ana.page.getByRole('button', { name: 'Message' }).click()
  await expect(ana.page.locator('#channel-title')).toContainText(names.b)
  // Ben is on another screen and opens nothing: the DM comes to him.
  await ben.page.goto('/#/settings')
  await waitForPeers(ana.page, 1)
  const text = `Private word ${tag()}`
  await post(ana.page, text)
  const delivery = message(ana.page, text).getByTestId('delivery')
  await expect(delivery).toHaveAttribute('data-state', /sent|delivered/)
  const dm = ben.page.getByTestId('channel-link').filter({ hasText: names.a })
  await expect(dm.getByTestId('unread-badge')).toContainText('1')
  // Ben opens the conversation: Ana's device shows it was read.
  await dm.click()
  await expect(message(ben.page, text)).toHaveCount(1)
  await expect(delivery).toHaveAttribute('data-state', 'read')
  await expect(delivery).toContainText('Read')
  // The DM is a two-device org channel: Ben checked Ana's device signature on what he read (a
  // shared-key channel carries no signatures), and its chain came over their pairwise session.
  const checks = await ben.page.evaluate(() =>
    [...window.__conch!.engines].find(([key]) => key.startsWith('dm-'))?.[1].stats.signatureChecks
  )
  expect(checks).toBeGreaterThan(0)
  // Cleo has no such conversation.
  await expect(cleo.page.getByTestId('channel-link').filter({ hasText: names.a })).toHaveCount(0)
})
