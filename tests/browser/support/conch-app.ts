// Helpers for the UI journeys: devices in separate browser contexts, joined through the real
// admin-keys CLI (support/dev-org.ts), and the few gestures every journey repeats.
import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test'
import { admin, enroll } from './dev-org.ts'

export const base = `http://localhost:${process.env.CONCH_TEST_PORT}`

export interface Device {
  context: BrowserContext
  page: Page
  name: string
}

/** A new browser context (its own storage) that joins the org with `roles`. */
export async function joinedDevice(
  browser: Browser,
  invite: string,
  user: string,
  name: string,
  roles = 'member',
  viewport = { width: 1280, height: 800 },
): Promise<Device> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  await enroll(page, invite, user, name, roles)
  return { context, page, name }
}

/** Creates an org channel with the admin CLI and publishes the org log to the worker. */
export function createOrgChannel(name: string, broadcast = false): void {
  admin('channel', 'create', name, ...(broadcast ? ['--broadcast'] : []))
  admin('publish', '--signaling', base)
}

/** Runs an admin-keys `channel` subcommand and publishes the org log to the worker. */
export function channelAdmin(...args: string[]): void {
  admin('channel', ...args)
  admin('publish', '--signaling', base)
}

/**
 * What a device's engine holds for an org channel, whether or not it is on screen: the texts it
 * reads, how many envelopes it ever set aside for a missing key, how many devices it links to.
 */
export function engineView(
  page: Page,
  channelName: string,
): Promise<{ texts: string[]; parked: number; linked: number }> {
  return page.evaluate((name) => {
    const conch = window.__conch!
    const channel = [...conch.org()!.state.channels.values()].find((c) => c.name === name)
    const hex = channel &&
      Array.from(channel.channelId, (b) => b.toString(16).padStart(2, '0')).join('')
    const engine = hex ? conch.engines.get(`org-${hex}`) : undefined
    return {
      texts: engine?.messages().map((m) => m.text) ?? [],
      parked: engine?.stats.parked ?? 0,
      linked: engine?.present().length ?? 0,
    }
  }, channelName)
}

export async function openChannel(page: Page, name: string): Promise<void> {
  const link = page.getByTestId('channel-link').filter({ hasText: name })
  await expect(link).toBeVisible({ timeout: 20_000 })
  await link.click()
  await expect(page.locator('#channel-title')).toContainText(name)
}

export async function post(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text)
  await page.getByRole('button', { name: 'Send' }).click()
}

export function message(page: Page, text: string) {
  return page.getByTestId('message').filter({ hasText: text })
}

export async function waitForPeers(page: Page, n: number): Promise<void> {
  const re = n === 1 ? /1 device connected/ : new RegExp(`${n} devices connected`)
  await expect(page.getByTestId('connection')).toHaveText(re, { timeout: 30_000 })
}

/** A fresh link channel (shared-key mode): `/#/channel/<name>/<secret>`. */
export function channelLink(name: string): string {
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
  return `/#/channel/${encodeURIComponent(name)}/${secret}`
}

/** Opens a channel link in `page` and waits for the channel screen. */
export async function joinLink(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link)
  await expect(page.locator('#channel-title')).toContainText(name)
}

/** A short random tag so names and texts are unique across runs against one dev org. */
export function tag(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(3))).toString('hex')
}
