// Drives the development org that `npm start` created for the browser tests: the real admin-keys
// CLI makes invites and approves the certificate requests the pages show, as an admin would.
import { expect, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { denoPath } from '../../../scripts/lib/deno-path.mjs'

const data = process.env.CONCH_TEST_DATA!
const base = `http://localhost:${process.env.CONCH_TEST_PORT}`
const adminDir = join(data, 'admin')

export function admin(...args: string[]): string {
  return execFileSync(
    denoPath(),
    [
      'run',
      '--allow-read',
      '--allow-write',
      '--allow-env',
      '--allow-net',
      'admin-keys/main.ts',
      ...args,
      '--data',
      adminDir,
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        CONCH_ADMIN_PASSPHRASE: readFileSync(join(data, 'dev-passphrase'), 'utf8').trim(),
      },
    },
  )
}

export function createInvite(maxUses = 5): string {
  return admin('invite', '--signaling', base, '--max-uses', String(maxUses)).trim()
}

/** Opens the invite in `page`, requests access, approves it with the CLI, publishes, finishes. */
export async function enroll(
  page: Page,
  invite: string,
  user: string,
  displayName: string,
  roles = 'member',
) {
  await page.goto(invite.slice(base.length))
  await page.getByTestId('display-name').fill(displayName)
  await page.getByRole('button', { name: 'Request access' }).click()
  const code = await page.getByTestId('request-code').inputValue()
  // The admin pastes the request code and gets back the approval code, as a person would.
  const approval = admin('approve', '--code', code, '--user', user, '--roles', roles).trim()
  admin('publish', '--signaling', base)
  await page.getByTestId('approval-code').fill(approval)
  await page.getByRole('button', { name: 'Finish joining' }).click()
  await expect(page.getByTestId('home')).toBeVisible()
}
