// Field staff who are never online at the same time: Ben's device published its signed prekey to
// the org log and went away before Ana's device ever linked to it. Ana posts in a new channel and
// leaves; Cleo, online in between, carries both the envelope and Ana's chain (a pairwise message
// addressed to Ben, started from his directory prekey). Ben comes back and reads Ana — who is
// gone — through Cleo alone.
import { expect, type Page, test } from '@playwright/test'
import { createInvite } from './support/dev-org.ts'
import {
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

const run = tag()
const channel = `field-${run}`
const devices: Device[] = []

test.afterAll(async () => {
  for (const d of devices) await d.context.close()
})

/** The device id of `name`, and whether the org log lists its signed prekey (the directory). */
function directoryEntry(page: Page, name: string): Promise<{ id?: string; listed: boolean }> {
  return page.evaluate((name) => {
    const state = window.__conch!.org()?.state
    const d = state && [...state.devices.values()].find((d) => d.displayName === name)
    if (!state || !d) return { listed: false }
    const id = Array.from(d.deviceId, (b) => b.toString(16).padStart(2, '0')).join('')
    return { id, listed: state.prekeys.has(id) }
  }, name)
}

/** Pairwise messages a page's channels hold for devices that are away. */
function heldForOthers(page: Page): Promise<number> {
  return page.evaluate(() =>
    [...window.__conch!.engines.values()].reduce((n, e) => n + e.stats.directHeld, 0)
  )
}

test('Ben reads Ana though they were never online together', async ({ browser }) => {
  const invite = createInvite(3)
  // Ben joins first and leaves once the org log lists his prekey.
  const ben = await joinedDevice(browser, invite, `ben-${run}`, `Ben ${run}`)
  devices.push(ben)
  await expect.poll(async () => (await directoryEntry(ben.page, `Ben ${run}`)).listed, {
    timeout: 20_000,
  }).toBe(true)
  await ben.page.close()

  const ana = await joinedDevice(browser, invite, `ana-${run}`, `Ana ${run}`)
  const cleo = await joinedDevice(browser, invite, `cleo-${run}`, `Cleo ${run}`)
  devices.push(ana, cleo)
  createOrgChannel(channel)
  for (const d of [ana, cleo]) await openChannel(d.page, channel)
  await waitForPeers(ana.page, 1)
  const text = `Water main burst on 5th street ${tag()}`
  await post(ana.page, text)
  await expect(message(cleo.page, text)).toHaveCount(1)
  // Ana's device never linked to Ben's, yet handed him her chain: a pairwise message started from
  // his directory prekey, which Cleo's device now holds for him.
  expect((await directoryEntry(ana.page, `Ben ${run}`)).listed).toBe(true)
  await expect.poll(() => heldForOthers(cleo.page)).toBeGreaterThan(0)
  await ana.page.close()

  // Ben comes back; only Cleo is there.
  ben.page = await ben.context.newPage()
  await ben.page.goto('/')
  await openChannel(ben.page, channel)
  await expect(message(ben.page, text)).toHaveCount(1, { timeout: 20_000 })
  await expect(message(ben.page, text).locator('.author')).toHaveText(`Ana ${run}`)
  const seen = await engineView(ben.page, channel)
  expect(seen.texts).toContain(text)
})
