// The admin-keys CLI end to end, as a real subprocess in a temp directory: an admin creates the
// org, invites and approves a device, revokes one, verifies and exports the log; and wrong
// passphrases, corrupt keystores and tampered or rolled-back logs fail cleanly, changing nothing.

import {
  acceptEntries,
  decodeLogBundle,
  parseOrgAnchor,
  reduceOrgLog,
  verifyCredential,
} from '../../crypto/membership/index.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { assertCleanFailure, CliHarness } from './cli-harness.ts'

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

async function initialised(): Promise<CliHarness> {
  const cli = await CliHarness.create()
  await cli.ok(['init', '--scrypt-log-n', '10'])
  return cli
}

Deno.test('journey: init -> invite -> request -> approve -> issue -> revoke -> verify -> export', async () => {
  const cli = await CliHarness.create()
  try {
    const anchorText = await cli.ok(['init', '--scrypt-log-n', '10'])
    const anchor = parseOrgAnchor(anchorText)
    assertCleanFailure(await cli.run(['init', '--scrypt-log-n', '10']), /already holds an org/)

    const link = await cli.ok([
      'invite',
      '--signaling',
      'https://signal.example.org',
      '--max-uses',
      '1',
    ])
    assert(link.startsWith('https://signal.example.org/#/join/'), `invite link: ${link}`)
    const deviceA = await cli.ok([
      'request',
      '--invite',
      link,
      '--user',
      'bob',
      '--name',
      'Bob',
      '--out',
      cli.file('bob.req'),
      '--keys-out',
      cli.file('bob.keys.json'),
    ])
    assert(
      (await cli.ok([
        'approve',
        '--request',
        cli.file('bob.req'),
        '--out',
        cli.file('bob.cred'),
      ])) ===
        deviceA,
      'approve prints the device id',
    )
    // The invite was for one use: a second device on the same link is refused.
    await cli.ok([
      'request',
      '--invite',
      link,
      '--user',
      'eve',
      '--out',
      cli.file('eve.req'),
      '--keys-out',
      cli.file('eve.keys.json'),
    ])
    assertCleanFailure(
      await cli.run(['approve', '--request', cli.file('eve.req'), '--out', cli.file('eve.cred')]),
      /used up/,
    )
    // An admin may still vouch for that request directly (the device signature is checked).
    const deviceE = await cli.ok([
      'issue',
      '--request',
      cli.file('eve.req'),
      '--user',
      'eve.h',
      '--out',
      cli.file('eve.cred'),
    ])
    assert(/^[0-9a-f]{32}$/.test(deviceE), 'issue --request prints the device id')
    // A script onboards the always-on peer without any invite.
    const deviceB = await cli.ok([
      'issue',
      '--keys-out',
      cli.file('peer.keys.json'),
      '--user',
      'archiver',
      '--roles',
      'member,auditor',
      '--out',
      cli.file('peer.cred'),
    ])
    await cli.ok(['policy', 'set', 'retention.days', '90'])
    const channel = await cli.ok([
      'channel',
      'create',
      'announcements',
      '--broadcast',
      '--archived',
    ])
    assert(/^[0-9a-f]{32}$/.test(channel), 'channel id')
    await cli.ok(['revoke', '--device', deviceA, '--reason', 'phone lost'])
    assert((await cli.ok(['log', 'verify'])).startsWith('ok: 6 entries verified'), 'verify')

    // Every device can check the same facts from the log file alone.
    const entries = decodeLogBundle(await Deno.readFile(`${cli.data}/org-log.bin`))
    const state = reduceOrgLog(anchor, entries)
    const now = Date.now()
    const peer = verifyCredential(anchor, state, await Deno.readFile(cli.file('peer.cred')), now)
    assert(peer.roles.has('auditor') && peer.userId === 'archiver', 'peer credential verifies')
    try {
      verifyCredential(anchor, state, await Deno.readFile(cli.file('bob.cred')), now)
      throw new Error('revoked credential accepted')
    } catch (e) {
      assert(isConchError(e, 'membership/revoked'), `revoked: ${e}`)
    }

    const lines = (await cli.ok(['log', 'export', '--format', 'jsonl'])).split('\n')
    assert(lines.length === 6, 'one line per entry')
    const records = lines.map((l) => JSON.parse(l))
    const revoke = records.find((r) => r.action === 'revoke-device')
    assert(revoke.user === 'bob' && revoke.device === deviceA, 'who')
    assert(revoke.details.reason === 'phone lost' && revoke.by.role === 'root', 'what, from whom')
    assert(/^\d{4}-\d\d-\d\dT/.test(revoke.time) && revoke.hash.length === 64, 'when, hash')
    assert(revoke.signature.length === 128, 'signature')
    assert(records.find((r) => r.action === 'issue-device' && r.device === deviceB), 'issuance')
    assert(records.find((r) => r.action === 'create-channel').target === channel, 'on what')
    assert((await cli.ok(['log', 'show'])).split('\n').length === 6, 'log show')
  } finally {
    await cli.cleanup()
  }
})

Deno.test('a wrong passphrase fails with one clear line and writes nothing', async () => {
  const cli = await initialised()
  try {
    const before = await Deno.readFile(`${cli.data}/org-log.bin`)
    const r = await cli.run(['policy', 'set', 'a', 'b'], { CONCH_ADMIN_PASSPHRASE: 'not the one' })
    assertCleanFailure(r, /wrong passphrase/)
    const after = await Deno.readFile(`${cli.data}/org-log.bin`)
    assert(before.length === after.length && before.every((b, i) => b === after[i]), 'unchanged')
    // No passphrase at all, and stdin is not a terminal: say how to provide one.
    assertCleanFailure(await cli.run(['policy', 'set', 'a', 'b'], {}), /CONCH_ADMIN_PASSPHRASE/)
    // The passphrase may come from a file instead.
    await Deno.writeTextFile(cli.file('pass'), 'correct horse battery\n')
    const viaFile = await cli.run([
      '--passphrase-file',
      cli.file('pass'),
      'policy',
      'set',
      'a',
      'b',
    ], {})
    assert(viaFile.code === 0, viaFile.stderr)
  } finally {
    await cli.cleanup()
  }
})

Deno.test('a corrupt or modified keystore fails cleanly', async () => {
  const cli = await initialised()
  try {
    const path = `${cli.data}/root-keystore.bin`
    const good = await Deno.readFile(path)
    await Deno.writeFile(path, good.slice(0, 40))
    assertCleanFailure(await cli.run(['policy', 'set', 'a', 'b']), /keystore is corrupt/)
    const flipped = good.slice()
    flipped[flipped.length - 3] ^= 0x10
    await Deno.writeFile(path, flipped)
    assertCleanFailure(
      await cli.run(['policy', 'set', 'a', 'b']),
      /wrong passphrase \(or the keystore/,
    )
    const absurd = good.slice()
    absurd[2] = 60 // scrypt N = 2^60: refused before any work
    await Deno.writeFile(path, absurd)
    assertCleanFailure(await cli.run(['policy', 'set', 'a', 'b']), /keystore is corrupt/)
  } finally {
    await cli.cleanup()
  }
})

Deno.test('a tampered or rolled-back log is refused by every command', async () => {
  const cli = await initialised()
  try {
    const logPath = `${cli.data}/org-log.bin`
    await cli.ok([
      'issue',
      '--keys-out',
      cli.file('a.json'),
      '--user',
      'ann',
      '--out',
      cli.file('a.cred'),
    ])
    const older = await Deno.readFile(logPath)
    const olderCheckpoint = await Deno.readFile(`${cli.data}/org-log.checkpoint`)
    await cli.ok(['policy', 'set', 'retention.days', '7'])
    const good = await Deno.readFile(logPath)
    const tampered = good.slice()
    tampered[tampered.length - 70] ^= 0x01
    await Deno.writeFile(logPath, tampered)
    assertCleanFailure(await cli.run(['log', 'verify']), /failed verification/)
    assertCleanFailure(await cli.run(['policy', 'set', 'x', 'y']), /failed verification/)
    await Deno.writeFile(logPath, good.slice(0, good.length - 10))
    assertCleanFailure(await cli.run(['log', 'export', '--format', 'jsonl']), /failed verification/)
    // An older copy of the log: the root-signed checkpoint names a head it lacks.
    await Deno.writeFile(logPath, older)
    assertCleanFailure(await cli.run(['log', 'verify']), /rolled back/)
    // Older log and older checkpoint together are consistent: that is all a file can show.
    await Deno.writeFile(`${cli.data}/org-log.checkpoint`, olderCheckpoint)
    await cli.ok(['log', 'verify'])
    assertCleanFailure(await cli.run(['frobnicate']), /unknown command/)
    assertCleanFailure(await cli.run(['revoke', '--device', 'zz']), /hex/)
  } finally {
    await cli.cleanup()
  }
})

Deno.test('publish posts the log as one bundle to the signaling worker', async () => {
  const cli = await initialised()
  const received: { type: string | null; accepted: number }[] = []
  const anchor = parseOrgAnchor(await Deno.readTextFile(`${cli.data}/org-anchor.txt`))
  const server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen() {} }, async (req) => {
    if (req.method !== 'POST' || new URL(req.url).pathname !== '/org/log') {
      return new Response('no', { status: 404 })
    }
    try {
      const entries = decodeLogBundle(new Uint8Array(await req.arrayBuffer()))
      const { accepted } = acceptEntries(anchor, [], entries)
      received.push({ type: req.headers.get('content-type'), accepted: accepted.length })
      return new Response('ok')
    } catch (e) {
      return new Response(String(e), { status: 400 })
    }
  })
  try {
    await cli.ok([
      'issue',
      '--keys-out',
      cli.file('a.json'),
      '--user',
      'ann',
      '--out',
      cli.file('a.cred'),
    ])
    const url = `http://127.0.0.1:${server.addr.port}`
    const out = await cli.ok(['publish', '--signaling', url])
    assert(out.includes('published 1 entries'), out)
    assert(received.length === 1 && received[0].accepted === 1, JSON.stringify(received))
    assert(received[0].type === 'application/octet-stream', 'content type')
    assertCleanFailure(
      await cli.run(['publish', '--signaling', `${url}/nowhere`]),
      /refused the log \(HTTP 404\)/,
    )
  } finally {
    await server.shutdown()
    await cli.cleanup()
  }
})
