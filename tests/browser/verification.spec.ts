// Verifying a colleague by scanning their QR code: a second Chromium whose fake camera plays a
// YUV4MPEG2 file the test draws from the modules of the code Ana's page shows. Ben's scan marks Ana
// verified; Cai's camera sees a code one digit off and reports a mismatch; a browser without a
// camera says so and keeps the compare-by-eye path; and no camera is left running.
import { type Browser, chromium, expect, type Page, test } from '@playwright/test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { type QrModules, qrModules } from '../../client/ui/verification/qr-modules.ts'
import { encodeVerificationCode } from '../../client/ui/verification/verification-code.ts'
import { drawQr, toY4m } from '../client/ui/qr-image.ts'
import { seriousViolations } from './support/axe.ts'
import { createInvite, enroll } from './support/dev-org.ts'
import { base, type Device, joinedDevice, tag } from './support/conch-app.ts'

test.describe.configure({ mode: 'serial' })

const run = tag()
const names = { ana: `Ana ${run}`, ben: `Ben ${run}`, cai: `Cai ${run}` }
const FRAME = { width: 640, height: 480, scale: 10 }
let invite: string
let ana: Device
const cameras: Browser[] = []

/** Keeps every camera stream the page opens (the real one), so the test can see it stopped. */
const recordStreams = () => {
  const media = navigator.mediaDevices
  const open = media.getUserMedia.bind(media)
  const streams: MediaStream[] = []
  ;(globalThis as unknown as { __streams: MediaStream[] }).__streams = streams
  media.getUserMedia = async (constraints) => {
    const stream = await open(constraints)
    streams.push(stream)
    return stream
  }
}

/** Live camera tracks among the streams the page opened. */
const liveTracks = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { __streams: MediaStream[] }).__streams
      .flatMap((s) => s.getTracks())
      .filter((t) => t.readyState === 'live').length
  )

function writeCode(path: string, modules: QrModules | undefined): void {
  mkdirSync(dirname(path), { recursive: true })
  const blank = { size: 21, dark: [] }
  writeFileSync(path, toY4m(drawQr(modules ?? blank, FRAME.width, FRAME.height, FRAME.scale)))
}

/**
 * A device in its own Chromium whose camera plays `video`. Chromium opens the file again each
 * time a capture starts, so the test can draw the code after the device has joined.
 */
async function deviceWithCamera(video: string, user: string, name: string): Promise<Device> {
  writeCode(video, undefined)
  const launch = test.info().project.use.launchOptions ?? {}
  const browser = await chromium.launch({
    ...launch,
    args: [
      ...(launch.args ?? []),
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  })
  cameras.push(browser)
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1280, height: 800 },
  })
  await context.grantPermissions(['camera'], { origin: base })
  await context.addInitScript(recordStreams)
  const page = await context.newPage()
  await enroll(page, invite, user, name)
  return { context, page, name }
}

async function openMember(page: Page, name: string): Promise<void> {
  await page.goto('/#/members')
  const row = page.getByTestId('member').filter({ hasText: name })
  await expect(row).toBeVisible({ timeout: 30_000 })
  await row.getByRole('link').click()
  await expect(page.getByTestId('safety-number')).toHaveText(/^(\d{5}){12}$/)
}

/** The QR modules exactly as `page` draws them (the SVG's one-module rectangles). */
function modulesOnScreen(page: Page): Promise<QrModules> {
  return page.getByTestId('qr-code').evaluate((svg) => {
    const quiet = 4
    const size = Number(svg.getAttribute('viewBox')!.split(' ')[2]) - 2 * quiet
    const dark = [...svg.querySelectorAll('rect[width="1"]')].map((r) =>
      [Number(r.getAttribute('x')), Number(r.getAttribute('y'))] as [number, number]
    )
    return { size, dark }
  })
}

const status = (page: Page) => page.getByTestId('verify-status')

test.beforeAll(async ({ browser }) => {
  invite = createInvite(4)
  ana = await joinedDevice(browser, invite, `ana-${run}`, names.ana)
})

test.afterAll(async () => {
  await ana?.context.close()
  for (const b of cameras) await b.close()
})

test('Ben scans the code on Ana’s screen and she shows as Verified', async () => {
  const video = test.info().outputPath('ana-code-for-ben.y4m')
  const ben = await deviceWithCamera(video, `ben-${run}`, names.ben)
  await openMember(ben.page, names.ana)
  await expect(ben.page.getByTestId('verified-badge')).toHaveCount(0)

  // First the camera sees some other QR code (a menu's link): Ben is told, and the scan goes on.
  // That scan screen is checked by axe and photographed at desktop and phone size.
  writeCode(video, qrModules('https://example.org/menu'))
  await ben.page.getByRole('button', { name: 'Scan their code' }).click()
  await expect(ben.page.getByRole('group', { name: `Scan the code of ${names.ana}` })).toBeVisible()
  await expect(status(ben.page)).toHaveAttribute('data-status', 'not-a-safety-code', {
    timeout: 15_000,
  })
  await expect(status(ben.page)).toContainText('not a Conch safety number')
  await expect(ben.page.getByTestId('scan-video')).toBeVisible()
  expect(await liveTracks(ben.page)).toBe(1)
  await expect(ben.page.getByRole('button', { name: 'Stop scanning' })).toBeFocused()
  for (
    const [size, viewport] of Object.entries({
      desktop: { width: 1280, height: 800 },
      phone: { width: 390, height: 844 },
    })
  ) {
    await ben.page.setViewportSize(viewport)
    const found = await seriousViolations(ben.page)
    expect(found, `scan screen (${size}): ${JSON.stringify(found, null, 1)}`).toEqual([])
    const shot = `test-results/screenshots/verify-scan-${size}.png`
    await ben.page.screenshot({ path: shot })
    await test.info().attach(`scan screen, ${size}`, { path: shot, contentType: 'image/png' })
  }
  await ben.page.setViewportSize({ width: 1280, height: 800 })
  // Escape stops the scan and the camera.
  await ben.page.keyboard.press('Escape')
  await expect(ben.page.getByTestId('scanner')).toHaveCount(0)
  await expect.poll(() => liveTracks(ben.page)).toBe(0)
  await expect(ben.page.getByRole('button', { name: 'Scan their code' })).toBeFocused()

  // Now Ana opens Ben's page; her code, as drawn there, goes in front of Ben's camera.
  await openMember(ana.page, names.ben)
  writeCode(video, await modulesOnScreen(ana.page))
  await ben.page.getByRole('button', { name: 'Scan their code' }).click()
  await expect(status(ben.page)).toHaveAttribute('data-status', 'match', { timeout: 20_000 })
  await expect(status(ben.page)).toContainText('Verified. The code matches')
  await expect(ben.page.getByTestId('verified-badge')).toHaveText(/Verified/)
  await ben.page.screenshot({ path: 'test-results/screenshots/verify-verified-desktop.png' })
  // The camera stopped with the result.
  await expect(ben.page.getByTestId('scanner')).toHaveCount(0)
  await expect.poll(() => liveTracks(ben.page)).toBe(0)

  // The mark stays on this device: after a reload, on the page and in the member list.
  await ben.page.reload()
  await expect(ben.page.getByTestId('verified-badge')).toBeVisible({ timeout: 15_000 })
  await ben.page.goto('/#/members')
  const row = ben.page.getByTestId('member').filter({ hasText: names.ana })
  await expect(row.getByTestId('verified-tag')).toHaveText(/Verified/)
  // The record is sealed at rest under the device's storage key: nothing in it reads in clear.
  const atRest = await ben.page.evaluate(() => localStorage.getItem('conch-verified-devices'))
  expect(atRest).toBeTruthy()
  expect(atRest).not.toContain('scanned')
  // A DM with Ana says in its header that her device is verified.
  await row.getByRole('link').click()
  await ben.page.getByRole('button', { name: 'Message' }).click()
  await expect(ben.page.locator('#channel-title').getByTestId('verified-tag')).toBeVisible()
})

test('Cai’s camera sees a code one digit off: a mismatch, and Ana is not verified', async () => {
  const video = test.info().outputPath('wrong-code.y4m')
  const cai = await deviceWithCamera(video, `cai-${run}`, names.cai)
  await openMember(cai.page, names.ana)
  const digits = (await cai.page.getByTestId('safety-number').textContent())!
  const off = digits.slice(0, 59) + String((Number(digits[59]) + 1) % 10)
  writeCode(video, qrModules(encodeVerificationCode(off)))
  // Cai had marked Ana verified by eye; the scan that disagrees takes that back.
  await cai.page.getByRole('button', { name: 'Mark as verified' }).click()
  await expect(cai.page.getByTestId('verified-badge')).toBeVisible()
  await cai.page.getByRole('button', { name: 'Scan their code' }).click()
  await expect(status(cai.page)).toHaveAttribute('data-status', 'mismatch', { timeout: 20_000 })
  await expect(status(cai.page)).toContainText('The code does not match')
  await expect(cai.page.getByTestId('verified-badge')).toHaveCount(0)
  expect(await seriousViolations(cai.page)).toEqual([])
  await cai.page.screenshot({ path: 'test-results/screenshots/verify-mismatch-desktop.png' })
  await expect(cai.page.getByTestId('scanner')).toHaveCount(0)
  await expect.poll(() => liveTracks(cai.page)).toBe(0)
  await cai.page.goto('/#/members')
  const row = cai.page.getByTestId('member').filter({ hasText: names.ana })
  await expect(row).toBeVisible()
  await expect(row.getByTestId('verified-tag')).toHaveCount(0)
})

test('leaving the page while the camera is on turns it off', async () => {
  const video = test.info().outputPath('blank.y4m')
  const dee = await deviceWithCamera(video, `dee-${run}`, `Dee ${run}`)
  await openMember(dee.page, names.ana)
  await dee.page.getByRole('button', { name: 'Scan their code' }).click()
  await expect(status(dee.page)).toHaveAttribute('data-status', 'scanning', { timeout: 15_000 })
  expect(await liveTracks(dee.page)).toBe(1)
  await dee.page.goto('/#/members')
  await expect.poll(() => liveTracks(dee.page)).toBe(0)
})

test('without a camera: a readable error, and Ana marks Ben verified by eye', async () => {
  // Ana's browser has no fake camera and no permission to use one.
  await openMember(ana.page, names.ben)
  await ana.page.getByRole('button', { name: 'Scan their code' }).click()
  await expect(status(ana.page)).toHaveAttribute('data-status', /denied|no-camera|unavailable/, {
    timeout: 15_000,
  })
  await expect(status(ana.page)).toContainText(/compare the numbers by eye/i)
  await expect(ana.page.getByTestId('safety-number')).toBeVisible()
  await ana.page.getByRole('button', { name: 'Mark as verified' }).click()
  await expect(ana.page.getByTestId('verified-badge')).toBeVisible()
  await ana.page.getByRole('button', { name: 'Clear verification' }).click()
  await expect(ana.page.getByTestId('verified-badge')).toHaveCount(0)
})
