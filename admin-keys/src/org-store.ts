// The admin data directory: keystore, org anchor, org log, checkpoint and invite records, read
// and verified on every command and written atomically (docs/protocol/membership.md §13).

import { fromHex, fromUtf8, toHex, utf8 } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import {
  assertNoRollback,
  decodeLogBundle,
  encodeLogBundle,
  formatOrgAnchor,
  type InviteRecord,
  type LogEntry,
  type OrgAnchor,
  type OrgState,
  parseOrgAnchor,
  reduceOrgLog,
} from '../../crypto/membership/index.ts'
import { signCheckpoint, verifyCheckpoint } from './checkpoint.ts'
import { CliError, type CliIo, joinPath } from './cli-io.ts'
import { sameAnchor, type UnlockedRoot, unlockKeystore } from './keystore.ts'

export const FILES = {
  keystore: 'root-keystore.bin',
  anchor: 'org-anchor.txt',
  log: 'org-log.bin',
  checkpoint: 'org-log.checkpoint',
  invites: 'invites.json',
} as const

interface StoredInvite {
  secret: string
  maxUses: number
  uses: number
  expiresAt: number
}

export class OrgStore {
  constructor(readonly io: CliIo, readonly dir: string) {}

  path(name: keyof typeof FILES): string {
    return joinPath(this.dir, FILES[name])
  }

  async exists(): Promise<boolean> {
    return (await this.io.readFile(this.path('keystore'))) !== null
  }

  private async required(name: keyof typeof FILES): Promise<Uint8Array> {
    const bytes = await this.io.readFile(this.path(name))
    if (bytes === null) {
      throw new CliError(
        `${this.path(name)} not found: is ${this.dir} an admin data directory? (run "init" first)`,
      )
    }
    return bytes
  }

  async anchor(): Promise<OrgAnchor> {
    const text = fromUtf8Safe(await this.required('anchor'))
    try {
      return parseOrgAnchor(text)
    } catch {
      throw new CliError(`${this.path('anchor')} is corrupt: not an org anchor`)
    }
  }

  /** Unlocks the root key and checks it belongs to this directory's anchor. */
  async unlock(): Promise<UnlockedRoot> {
    const bytes = await this.required('keystore')
    const anchor = await this.anchor()
    const passphrase = await this.io.passphrase('unlock')
    let root: UnlockedRoot
    try {
      root = unlockKeystore(bytes, passphrase)
    } catch (e) {
      if (isConchError(e, 'crypto/auth-failed')) {
        throw new CliError('wrong passphrase (or the keystore file was modified): nothing changed')
      }
      if (isConchError(e, 'storage/corrupt')) {
        throw new CliError(`${this.path('keystore')}: ${e.message}`)
      }
      throw e
    }
    if (!sameAnchor(root.anchor, anchor)) {
      throw new CliError(`${this.path('keystore')} does not belong to the org in ${FILES.anchor}`)
    }
    return root
  }

  /** Loads the log and refuses one that is tampered, truncated, or older than the checkpoint. */
  async load(): Promise<{ anchor: OrgAnchor; entries: LogEntry[]; state: OrgState }> {
    const anchor = await this.anchor()
    const where = this.path('log')
    try {
      const entries = decodeLogBundle(await this.required('log'))
      const state = reduceOrgLog(anchor, entries)
      const bad = state.rejected[0]
      if (bad) {
        throw new CliError(
          `${where} failed verification: entry ${bad.id.slice(0, 16)} ${bad.reason}`,
        )
      }
      if (state.pending.length) {
        throw new CliError(
          `${where} failed verification: ${state.pending.length} entries lack an ancestor`,
        )
      }
      const checkpoint = verifyCheckpoint(anchor, await this.required('checkpoint'))
      if (checkpoint.count > entries.length) {
        throw new CliError(
          `${where} was rolled back: it has fewer entries than the signed checkpoint`,
        )
      }
      assertNoRollback(checkpoint.heads, state)
      return { anchor, entries, state }
    } catch (e) {
      if (e instanceof CliError) throw e
      if (isConchError(e)) throw new CliError(`${where} failed verification: ${e.message}`)
      throw e
    }
  }

  /** Writes the grown log, then a fresh root-signed checkpoint (both atomically). */
  async save(root: UnlockedRoot, entries: LogEntry[]): Promise<OrgState> {
    const state = reduceOrgLog(root.anchor, entries)
    if (state.rejected.length || state.pending.length) {
      const why = state.rejected[0]?.reason ?? 'missing ancestor'
      throw new CliError(`refused: the new entry would not verify (${why}); nothing written`)
    }
    await this.io.writeFileAtomic(this.path('log'), encodeLogBundle(state.log))
    const checkpoint = signCheckpoint(root.rootSecretKey, root.anchor.orgId, {
      count: state.log.length,
      heads: state.heads.slice(0, 256),
    })
    await this.io.writeFileAtomic(this.path('checkpoint'), checkpoint)
    return state
  }

  async writeAnchor(anchor: OrgAnchor): Promise<void> {
    await this.io.writeFileAtomic(this.path('anchor'), utf8(formatOrgAnchor(anchor) + '\n'))
  }

  async invites(): Promise<Map<string, InviteRecord>> {
    const bytes = await this.io.readFile(this.path('invites'))
    const out = new Map<string, InviteRecord>()
    if (bytes === null) return out
    try {
      const raw = JSON.parse(fromUtf8Safe(bytes)) as Record<string, StoredInvite>
      for (const [id, v] of Object.entries(raw)) {
        out.set(id, {
          inviteId: fromHex(id),
          secret: fromHex(v.secret),
          maxUses: v.maxUses,
          uses: v.uses,
          expiresAt: v.expiresAt,
        })
      }
    } catch {
      throw new CliError(`${this.path('invites')} is corrupt`)
    }
    return out
  }

  async saveInvites(invites: Map<string, InviteRecord>): Promise<void> {
    const raw: Record<string, StoredInvite> = {}
    for (const [id, v] of invites) {
      raw[id] = {
        secret: toHex(v.secret),
        maxUses: v.maxUses,
        uses: v.uses,
        expiresAt: v.expiresAt,
      }
    }
    await this.io.writeFileAtomic(this.path('invites'), utf8(JSON.stringify(raw, null, 2) + '\n'), {
      secret: true,
    })
  }
}

function fromUtf8Safe(bytes: Uint8Array): string {
  try {
    return fromUtf8(bytes)
  } catch {
    return ''
  }
}
