// `approve --code`: the admin pastes the request code a browser shows and gets back an approval
// code to paste into the app — no files. A damaged code fails with one clear line.

import { base64url, equalBytes, fromBase64url, fromHex } from '../../crypto/codec/bytes.ts'
import { decodeCredential } from '../../crypto/membership/index.ts'
import { assertCleanFailure, CliHarness } from './cli-harness.ts'

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

Deno.test('an admin approves a pasted request code and gets an approval code back', async () => {
  const cli = await CliHarness.create()
  try {
    await cli.ok(['init', '--scrypt-log-n', '10'])
    const link = await cli.ok(['invite', '--signaling', 'https://signal.example.org'])
    const deviceId = await cli.ok([
      'request',
      '--invite',
      link,
      '--user',
      'ana',
      '--out',
      cli.file('ana.req'),
      '--keys-out',
      cli.file('ana.keys.json'),
    ])
    const code = base64url(await Deno.readFile(cli.file('ana.req')))

    assertCleanFailure(await cli.run(['approve', '--code', code.slice(0, -9)]), /damaged/)
    assertCleanFailure(await cli.run(['approve']), /--request FILE or --code CODE/)

    const approval = await cli.ok(['approve', '--code', code, '--user', 'ana.nurse'])
    const credential = decodeCredential(fromBase64url(approval))
    assert(
      equalBytes(credential.device.deviceId, fromHex(deviceId)),
      'the approval certifies the requesting device',
    )
    assert(credential.device.userId === 'ana.nurse', 'the admin-chosen user id is certified')
    // The same request cannot be approved twice on a one-use invite.
    assertCleanFailure(await cli.run(['approve', '--code', code]), /used up/)
  } finally {
    await cli.cleanup()
  }
})
