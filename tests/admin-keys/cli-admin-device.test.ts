// A live admin device next to the offline root: the root appoints it with the CLI, the device
// issues on its own (the pure approval path), and once the root revokes it, what it signs next
// is refused. Also renew, role, wipe and channel archive through the real CLI.

import { fromHex } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import {
  acceptEntries,
  currentCredentialBytes,
  decodeAdminCertificate,
  decodeLogBundle,
  issueDevice,
  type LogEntry,
  parseOrgAnchor,
  reduceOrgLog,
  verifyCredential,
} from '../../crypto/membership/index.ts'
import { generateSigningKeyPair } from '../../crypto/primitives/ed25519.ts'
import { generateDhKeyPair } from '../../crypto/primitives/x25519.ts'
import { secureRandom } from '../../crypto/primitives/random.ts'
import { assertCleanFailure, CliHarness } from './cli-harness.ts'

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

async function readLog(cli: CliHarness): Promise<LogEntry[]> {
  return decodeLogBundle(await Deno.readFile(`${cli.data}/org-log.bin`))
}

Deno.test('root appoints an admin device; it issues live; after revocation it cannot', async () => {
  const cli = await CliHarness.create()
  try {
    const anchor = parseOrgAnchor(await cli.ok(['init', '--scrypt-log-n', '10']))
    const adminDevice = await cli.ok([
      'issue',
      '--keys-out',
      cli.file('it.json'),
      '--user',
      'it-admin',
      '--roles',
      'member,admin',
      '--out',
      cli.file('it.cred'),
    ])
    const keys = JSON.parse(await Deno.readTextFile(cli.file('it.json')))
    await cli.ok([
      'appoint',
      '--key',
      keys.signingPublicKey,
      '--name',
      'IT desk',
      '--out',
      cli.file('it.admin-cert'),
    ])
    const chain = [decodeAdminCertificate(await Deno.readFile(cli.file('it.admin-cert')))]
    const issuer = { secretKey: fromHex(keys.signingSecretKey), chain }

    // The admin device approves a newcomer on its own, and the worker accepts the entry.
    const known = await readLog(cli)
    const device = {
      userId: 'nurse-7',
      displayName: 'Nurse Seven',
      deviceId: secureRandom(16),
      signingPublicKey: generateSigningKeyPair().publicKey,
      identityDhPublicKey: generateDhKeyPair().publicKey,
      roles: new Set(['member'] as const),
    }
    const now = Date.now()
    const issued = issueDevice(reduceOrgLog(anchor, known), issuer, device, {
      now,
      random: secureRandom,
    })
    const { accepted, state } = acceptEntries(anchor, known, [issued.entry])
    assert(accepted.length === 1, 'live issuance accepted')
    assert(verifyCredential(anchor, state, issued.credentialBytes, now).userId === 'nurse-7', 'ok')

    // Renew, change roles, create and archive a channel, wipe a device — all through the CLI.
    const other = await cli.ok([
      'issue',
      '--keys-out',
      cli.file('x.json'),
      '--user',
      'x',
      '--out',
      cli.file('x.cred'),
    ])
    await cli.ok(['role', '--device', other, '--roles', 'member,publisher'])
    const renewed = await cli.ok([
      'renew',
      '--device',
      other,
      '--days',
      '10',
      '--out',
      cli.file('x2.cred'),
    ])
    assert(renewed.includes('renewed until'), renewed)
    const channel = await cli.ok(['channel', 'create', 'ward-3'])
    await cli.ok(['channel', 'archive', channel])
    let s = reduceOrgLog(anchor, await readLog(cli))
    const id = verifyCredential(anchor, s, await Deno.readFile(cli.file('x2.cred')), Date.now())
    assert(id.roles.has('publisher') && id.notAfter - id.notBefore === 10 * 86_400_000, 'renewal')
    assert(s.channels.get(channel)?.retired === true, 'archived channel')
    await cli.ok(['wipe', '--device', other, '--reason', 'stolen'])

    // The root revokes the admin: what the admin device signs next is void everywhere.
    const revoked = await cli.ok(['revoke', '--admin', keys.signingPublicKey, '--reason', 'left'])
    assert(revoked.includes('also revoked the matching admin key or device'), revoked)
    const after = await readLog(cli)
    s = reduceOrgLog(anchor, after)
    assert(s.revokedAdmins.has(keys.signingPublicKey) && s.wipedDevices.has(other), 'revoked')
    // The admin's own device went with the admin key (a person who left keeps neither).
    assert(s.revokedDevices.has(adminDevice), 'admin device revoked with the admin key')
    const late = issueDevice(s, issuer, {
      ...device,
      deviceId: secureRandom(16),
      signingPublicKey: generateSigningKeyPair().publicKey,
    }, {
      now: Date.now(),
      random: secureRandom,
    })
    try {
      acceptEntries(anchor, after, [late.entry])
      throw new Error('void issuance accepted')
    } catch (e) {
      assert(isConchError(e, 'membership/bad-log'), String(e))
    }
    assert((await cli.ok(['log', 'verify'])).startsWith('ok:'), 'log verifies')
    assert(adminDevice.length === 32, 'device id')
    assertCleanFailure(
      await cli.run(['role', '--device', other, '--roles', 'member,wizard']),
      /unknown role/,
    )
  } finally {
    await cli.cleanup()
  }
})

Deno.test('revoking a lost admin device also revokes its admin key', async () => {
  const cli = await CliHarness.create()
  try {
    const anchor = parseOrgAnchor(await cli.ok(['init', '--scrypt-log-n', '10']))
    const phone = await cli.ok([
      'issue',
      '--keys-out',
      cli.file('phone.json'),
      '--user',
      'ops',
      '--out',
      cli.file('phone.cred'),
    ])
    const keys = JSON.parse(await Deno.readTextFile(cli.file('phone.json')))
    await cli.ok(['appoint', '--key', keys.signingPublicKey, '--name', 'ops phone'])
    const out = await cli.ok(['revoke', '--device', phone, '--reason', 'lost in a taxi'])
    assert(out.includes('also revoked'), out)
    const s = reduceOrgLog(anchor, await readLog(cli))
    assert(s.revokedDevices.has(phone) && s.revokedAdmins.has(keys.signingPublicKey), 'both')
    const lines = (await cli.ok(['log', 'export', '--format', 'jsonl'])).split('\n')
    const last = JSON.parse(lines[lines.length - 1])
    assert(last.action === 'revoke-admin' && last.details.reason === 'lost in a taxi', 'audited')
  } finally {
    await cli.cleanup()
  }
})

Deno.test('a daily renew renews what expires soon; devices take the renewal from the log', async () => {
  const cli = await CliHarness.create()
  try {
    const anchor = parseOrgAnchor(await cli.ok(['init', '--scrypt-log-n', '10']))
    const issue = (user: string, days: string) =>
      cli.ok([
        'issue',
        '--keys-out',
        cli.file(`${user}.json`),
        '--user',
        user,
        '--days',
        days,
        '--out',
        cli.file(`${user}.cred`),
      ])
    const soon = await issue('soon', '3')
    const later = await issue('later', '30')
    const renewed = (await cli.ok(['renew', '--expiring-within', '7d'])).split('\n')
    assert(renewed.length === 1 && renewed[0].startsWith(soon), renewed.join('|'))
    const state = reduceOrgLog(anchor, await readLog(cli))
    const fresh = currentCredentialBytes(state, soon)
    const id = verifyCredential(anchor, state, fresh, Date.now() + 20 * 86_400_000)
    assert(id.userId === 'soon', 'renewed credential rebuilt from the log verifies in 20 days')
    assert(
      state.devices.get(later)!.notAfter - state.devices.get(later)!.notBefore === 30 * 86_400_000,
      'untouched',
    )
    assert(
      (await cli.ok(['renew', '--expiring-within', '1d'])) === 'no device needs renewing',
      'noop',
    )
  } finally {
    await cli.cleanup()
  }
})
