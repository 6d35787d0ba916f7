// Private channels through the real admin-keys CLI: the admin creates one for Bob and Carol,
// adds Dave, removes Carol, and reads it all back in `channel list` and `log show`; mistakes
// (unknown users or channels, public channels, archived ones) fail with one clear line.

import { decodeLogBundle, parseOrgAnchor, reduceOrgLog } from '../../crypto/membership/index.ts'
import { assertCleanFailure, CliHarness } from './cli-harness.ts'

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

async function orgWithUsers(users: string[]): Promise<{ cli: CliHarness; anchorText: string }> {
  const cli = await CliHarness.create()
  const anchorText = await cli.ok(['init', '--scrypt-log-n', '10'])
  for (const user of users) {
    await cli.ok([
      'issue',
      '--keys-out',
      cli.file(`${user}.keys.json`),
      '--user',
      user,
      '--out',
      cli.file(`${user}.cred`),
    ])
  }
  return { cli, anchorText }
}

Deno.test('journey: create a private channel with members, add, remove, list and show', async () => {
  const { cli, anchorText } = await orgWithUsers(['bob', 'carol', 'dave'])
  try {
    const board = await cli.ok([
      'channel',
      'create',
      'board',
      '--private',
      '--member',
      'carol',
      '--member',
      'bob',
    ])
    assert(/^[0-9a-f]{32}$/.test(board), `channel id: ${board}`)
    const general = await cli.ok(['channel', 'create', 'general'])
    assert(
      (await cli.ok(['channel', 'add', 'board', 'dave'])).startsWith('channel-members recorded'),
      'add',
    )
    await cli.ok(['channel', 'remove', board, 'carol']) // by id works as well as by name

    // Every device computes the same member list from the log file alone.
    const entries = decodeLogBundle(await Deno.readFile(`${cli.data}/org-log.bin`))
    const state = reduceOrgLog(parseOrgAnchor(anchorText), entries)
    const record = state.channels.get(board)!
    assert(record.private && [...record.members].sort().join() === 'bob,dave', 'members')
    assert(!state.channels.get(general)!.private, 'a channel is public unless --private')
    assert(state.rejected.length === 0, 'the root signs only entries that apply')

    const list = (await cli.ok(['channel', 'list'])).split('\n')
    assert(list.includes(`${board}  board  [private]  members: bob dave`), list.join('\n'))
    assert(list.includes(`${general}  general  [public]`), list.join('\n'))

    const shown = await cli.ok(['log', 'show'])
    assert(shown.includes('#board [private] members: bob carol'), shown)
    assert(/channel-members .*#board \+dave/.test(shown), shown)
    assert(/channel-members .*#board -carol/.test(shown), shown)
    const records = (await cli.ok(['log', 'export'])).split('\n').map((l) => JSON.parse(l))
    const removal = records.filter((r) => r.action === 'channel-members')[1]
    assert(removal.target === board && removal.details.remove[0] === 'carol', 'export')
  } finally {
    await cli.cleanup()
  }
})

Deno.test('channel mistakes fail with one clear line and change nothing', async () => {
  const { cli } = await orgWithUsers(['bob', 'eve'])
  try {
    await cli.ok(['channel', 'create', 'board', '--private', '--member', 'bob'])
    await cli.ok(['channel', 'create', 'general'])
    await cli.ok(['revoke', '--user', 'eve'])
    const before = await Deno.readFile(`${cli.data}/org-log.bin`)
    const fails = async (args: string[], pattern: RegExp) =>
      assertCleanFailure(await cli.run(args), pattern)

    await fails(['channel', 'add', 'board', 'zed'], /no device was ever issued to user "zed"/)
    await fails(['channel', 'remove', 'board', 'zed'], /no device was ever issued to user "zed"/)
    await fails(['channel', 'add', 'board', 'eve'], /user "eve" is revoked/)
    await fails(['channel', 'add', 'general', 'bob'], /channel "general" .* is public/)
    await fails(['channel', 'add', 'nowhere', 'bob'], /no channel "nowhere"/)
    await fails(['channel', 'add', 'board', 'bob'], /nothing to change/)
    await fails(['channel', 'add', 'board'], /usage: channel add CHANNEL USER/)
    await fails(['channel', 'create', 'x', '--member', 'bob'], /add --private/)
    await fails(['channel', 'create', 'x', '--private', '--member', 'zed'], /"zed"/)
    const usage = await cli.run(['channel', 'create', 'x', '--member', 'bob'])
    assert(usage.code === 2, `a usage error exits 2 (${usage.code})`)
    const after = await Deno.readFile(`${cli.data}/org-log.bin`)
    assert(before.length === after.length && before.every((b, i) => b === after[i]), 'unchanged')

    // Two channels with one name: the CLI asks for the id. An archived channel is closed.
    await cli.ok(['channel', 'create', 'general'])
    await fails(['channel', 'archive', 'general'], /2 channels are named "general"; name one by id/)
    await cli.ok(['channel', 'archive', 'board'])
    await fails(['channel', 'remove', 'board', 'bob'], /is archived/)
  } finally {
    await cli.cleanup()
  }
})
