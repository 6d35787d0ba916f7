// The mailbox survives restarts: every held item is appended to a journal file (and synced)
// before the mailbox acknowledges it; on start the journal is replayed with the original
// arrival times (so the age bound still holds) and rewritten compacted. Grammar:
// transport.md §4.1. A torn last record (a crash mid-write) is ignored; anything else
// malformed stops the replay at that point, keeping what came before.

import { closeSync, fdatasyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { fromHex, toHex } from '../../crypto/codec/bytes.ts'
import { Reader } from '../../crypto/codec/reader.ts'
import { Writer } from '../../crypto/codec/writer.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import { decodeEnvelope } from '../sync/envelope.ts'
import type { BlindMailbox, HeldItem } from './blind-mailbox.ts'

const MAGIC = new TextEncoder().encode('conch-mailbox/1\n')
const KIND_ENVELOPE = 1
const KIND_DIRECT = 2
const MAX_RECORD_BYTES = (4 << 20) + 1024

export function encodeJournalRecord(item: HeldItem): Uint8Array {
  const w = new Writer(item.bytes.length + 40)
    .u8(item.kind === 'envelope' ? KIND_ENVELOPE : KIND_DIRECT)
    .varuint(item.at)
  if (item.kind === 'direct') w.fixed(fromHex(item.to!), 16, 'to')
  const body = w.bytes(item.bytes).finish()
  return new Writer(body.length + 5).varuint(body.length).raw(body).finish()
}

/** Replays `bytes` (a whole journal) into `mailbox`; returns how many records were applied. */
export function replayJournal(bytes: Uint8Array, mailbox: BlindMailbox): number {
  if (bytes.length < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b)) return 0
  const r = new Reader(bytes.subarray(MAGIC.length))
  let applied = 0
  try {
    while (r.offset < bytes.length - MAGIC.length) {
      const record = new Reader(r.bytes(MAX_RECORD_BYTES))
      const kind = record.u8()
      const at = record.varuint()
      if (kind === KIND_ENVELOPE) {
        mailbox.putEnvelope(decodeEnvelope(record.bytes(MAX_RECORD_BYTES)), at)
      } else if (kind === KIND_DIRECT) {
        const to = toHex(record.fixed(16))
        mailbox.putDirect(to, record.bytes(MAX_RECORD_BYTES), at)
      } else break
      record.end()
      applied++
    }
  } catch (e) {
    if (!isConchError(e)) throw e // torn or damaged tail: keep what came before it
  }
  return applied
}

export class MailboxJournal {
  private fd: number

  /** Replays `path` into `mailbox` (if it exists), compacts it, and journals from then on. */
  constructor(private readonly path: string, private readonly mailbox: BlindMailbox, now: number) {
    let existing: Uint8Array | undefined
    try {
      existing = new Uint8Array(readFileSync(path))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    mailbox.onHold = undefined
    if (existing) replayJournal(existing, mailbox)
    mailbox.expire(now)
    this.fd = this.rewrite()
    mailbox.onHold = (item) => this.append(item)
  }

  /** Rewrites the journal with only what is held now, when it has grown well past that. */
  compactIfLarge(): void {
    const held = this.mailbox.metrics.bytesHeld
    if (this.size > 2 * held + (1 << 20)) {
      closeSync(this.fd)
      this.fd = this.rewrite()
    }
  }

  close(): void {
    closeSync(this.fd)
  }

  private size = 0

  private append(item: HeldItem): void {
    const record = encodeJournalRecord(item)
    writeSync(this.fd, record)
    fdatasyncSync(this.fd)
    this.size += record.length
  }

  private rewrite(): number {
    const tmp = `${this.path}.tmp`
    const fd = openSync(tmp, 'w', 0o600)
    writeSync(fd, MAGIC)
    this.size = MAGIC.length
    for (const item of this.mailbox.held()) {
      const record = encodeJournalRecord(item)
      writeSync(fd, record)
      this.size += record.length
    }
    fdatasyncSync(fd)
    closeSync(fd)
    renameSync(tmp, this.path)
    return openSync(this.path, 'a')
  }
}
