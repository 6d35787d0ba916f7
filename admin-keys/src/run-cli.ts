// The admin-keys command dispatcher: parse, run one command, turn every failure into one line
// and an exit code (0 ok, 1 failed, 2 usage, 70 internal) — never a stack trace.

import { isConchError } from '../../crypto/errors/conch-error.ts'
import { Args } from './args.ts'
import { CliError, type CliIo, joinPath } from './cli-io.ts'
import { initCommand } from './command-init.ts'
import { logCommand, publishCommand, pullCommand } from './command-log.ts'
import { channelCommand } from './command-channel.ts'
import { policyCommand, revokeCommand, roleCommand, wipeCommand } from './command-manage.ts'
import {
  appointCommand,
  approveCommand,
  inviteCommand,
  issueCommand,
  renewCommand,
  requestCommand,
} from './command-onboard.ts'
import { OrgStore } from './org-store.ts'

export const USAGE = `admin-keys — the Conch org root, offline.

usage: admin-keys <command> [options]   (global: --data DIR, --passphrase-file FILE)

  init [--scrypt-log-n 17]                       create the org; prints the org anchor
  invite --signaling URL [--max-uses 1] [--expires 7d]      prints an invite link
  request --invite LINK --user ID [--name N] --out REQ --keys-out KEYS   (device side)
  approve (--request REQ | --code CODE) [--out CRED] [--user ID] [--name N] [--roles r,..] [--days 30]
                                                 without --out, prints the approval code
  issue (--request REQ | --keys-out KEYS --user ID) --out CRED [--roles r,..] [--days 30]
  renew (--device HEX [--out CRED] | --expiring-within 7d) [--days 30]
  revoke (--device HEX | --user ID | --admin KEYHEX) [--reason TEXT]
  wipe --device HEX [--reason TEXT]
  role --device HEX --roles member,publisher,...
  appoint --key KEYHEX --name NAME [--days 365] [--out CERT]
  policy set KEY VALUE
  channel create NAME [--broadcast] [--archived] [--private [--member USER]...]
                                                 prints the channel id; a private channel is
                                                 read only by its members' devices (the root
                                                 is no member: list every user)
  channel add CHANNEL USER... | channel remove CHANNEL USER...
                                                 change a private channel's members
  channel archive CHANNEL | channel list         CHANNEL: its name or 32-hex id
  log show | log verify | log export --format jsonl [--out FILE]
  publish --signaling URL                        POST the log to URL/org/log
  pull --signaling URL                           import entries live admins published
                                                 (run it before revoke --admin)

The passphrase comes from CONCH_ADMIN_PASSPHRASE, --passphrase-file, or a prompt.
The data directory defaults to $CONCH_DATA/admin, else .conch/admin.`

type Command = (store: OrgStore, args: Args) => Promise<void>

const COMMANDS: Record<string, Command> = {
  init: initCommand,
  invite: inviteCommand,
  request: requestCommand,
  approve: approveCommand,
  issue: issueCommand,
  renew: renewCommand,
  revoke: revokeCommand,
  wipe: wipeCommand,
  role: roleCommand,
  appoint: appointCommand,
  policy: policyCommand,
  channel: channelCommand,
  log: logCommand,
  publish: publishCommand,
  pull: pullCommand,
}

export interface CliEnvironment {
  env: (name: string) => string | undefined
  /** Builds the I/O once the global options are known. */
  makeIo: (options: { passphraseFile?: string }) => CliIo
}

export async function runCli(
  argv: readonly string[],
  environment: CliEnvironment,
): Promise<number> {
  let io: CliIo | undefined
  try {
    const args = new Args(argv)
    const passphraseFile = args.get('passphrase-file')
    io = environment.makeIo({ passphraseFile })
    const name = args.positional[0]
    if (name === undefined || name === 'help' || args.bool('help')) {
      io.out(USAGE)
      return name === undefined ? 2 : 0
    }
    const command = COMMANDS[name]
    if (!command) {
      throw new CliError(`unknown command "${name}"\nRun "admin-keys help" for usage.`, 2)
    }
    const base = environment.env('CONCH_DATA')
    const dir = args.get('data') ?? (base ? joinPath(base, 'admin') : '.conch/admin')
    await command(new OrgStore(io, dir), args)
    return 0
  } catch (e) {
    const say = (line: string) => (io ? io.err(line) : console.error(line))
    if (e instanceof CliError) {
      say(`error: ${e.message}`)
      return e.exitCode
    }
    if (isConchError(e)) {
      say(`error: ${e.message} (${e.code})`)
      return 1
    }
    say(`internal error: ${e instanceof Error ? e.message : String(e)}`)
    return 70
  }
}
