// One channel: a Yjs document whose every local update leaves as an encrypted envelope, and whose
// every received envelope passes decode -> dedupe -> decrypt -> apply -> persist -> forward.

import * as Y from 'yjs'
import { equalBytes, fromHex, toHex } from '../../crypto/codec/bytes.ts'
import type { ChannelCipher } from '../../crypto/envelope/channel-cipher.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { EnvelopeStore } from '../storage/envelope-store.ts'
import {
  decodeEnvelope,
  encodeEnvelope,
  encodeEnvelopeHeader,
  envelopeHash,
  type EnvelopeHeader,
  HASH_LENGTH,
} from '../sync/envelope.ts'
import {
  decodeFrame,
  encodeFrame,
  FRAME_ENVELOPES,
  FRAME_HAVE,
  MAX_FRAME_ENVELOPES,
} from '../sync/frames.ts'
import type { PeerLink } from '../transport/peer-link.ts'
import { asChatMessage, type ChatMessage, compareMessages } from './chat-message.ts'

/** Keep data-channel messages well under Chromium's 256 KiB SCTP message limit. */
const MAX_FRAME_BYTES = 64 * 1024
const REMOTE = Symbol('remote')

export interface ChannelEngineDeps {
  channelId: Uint8Array
  epoch: number
  cipher: ChannelCipher
  store: EnvelopeStore
  deviceId: Uint8Array
  clientId: number
  now: () => number
  random: RandomSource
}

export interface ChannelStats {
  framesIn: number
  framesOut: number
  envelopesSent: number
  envelopesAccepted: number
  envelopesRejected: number
  duplicates: number
  /** Links (by kind) that delivered at least one accepted envelope. */
  acceptedVia: Record<string, number>
}

interface AuthorLog {
  envelopes: Map<number, Uint8Array>
  /** Highest seq such that 1..seq are all held. */
  contiguous: number
}

export class ChannelEngine {
  readonly doc: Y.Doc
  readonly stats: ChannelStats = {
    framesIn: 0,
    framesOut: 0,
    envelopesSent: 0,
    envelopesAccepted: 0,
    envelopesRejected: 0,
    duplicates: 0,
    acceptedVia: {},
  }
  private readonly channelHex: string
  private readonly deviceHex: string
  private readonly logs = new Map<string, AuthorLog>()
  private readonly links = new Map<string, PeerLink>()
  private readonly listeners = new Set<() => void>()
  private seq = 0
  private prev: Uint8Array = new Uint8Array(HASH_LENGTH)
  /** Outgoing and incoming work is serialized: seq order and hash chains stay consistent. */
  private queue: Promise<void> = Promise.resolve()

  private constructor(private readonly deps: ChannelEngineDeps) {
    this.doc = new Y.Doc()
    this.doc.clientID = deps.clientId
    this.channelHex = toHex(deps.channelId)
    this.deviceHex = toHex(deps.deviceId)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.enqueue(() => this.emitLocalUpdate(update))
      this.notify()
    })
  }

  /** Loads the stored envelope log, replays it into the document, and starts the engine. */
  static async open(deps: ChannelEngineDeps): Promise<ChannelEngine> {
    const engine = new ChannelEngine(deps)
    const stored = await deps.store.listEnvelopes(engine.channelHex)
    stored.sort((a, b) => a.seq - b.seq)
    for (const row of stored) await engine.acceptEnvelope(row.bytes, undefined, false)
    return engine
  }

  /** Posts a message; returns its id. The envelope is durable before it is sent. */
  post(text: string): string {
    const id = toHex(this.deps.random(16))
    const sentAt = this.deps.now()
    let seen = 0
    for (const m of this.messages()) seen = Math.max(seen, m.hlc)
    const message: ChatMessage = {
      id,
      author: this.deviceHex,
      text,
      sentAt,
      hlc: Math.max(sentAt, seen + 1),
    }
    this.doc.getMap('messages').set(id, message)
    return id
  }

  messages(): ChatMessage[] {
    const out: ChatMessage[] = []
    for (const value of this.doc.getMap('messages').values()) {
      const m = asChatMessage(value)
      if (m) out.push(m)
    }
    return out.sort(compareMessages)
  }

  get deviceIdHex(): string {
    return this.deviceHex
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Resolves when all queued sends and receives have been processed. */
  idle(): Promise<void> {
    return this.queue
  }

  linkUp(link: PeerLink): void {
    this.links.set(link.id, link)
    this.sendFrame(
      link,
      encodeFrame({ type: FRAME_HAVE, channelId: this.deps.channelId, have: this.haveVector() }),
    )
  }

  linkDown(link: PeerLink): void {
    this.links.delete(link.id)
  }

  /** Bytes from a peer: malformed frames are counted and dropped, never thrown at the transport. */
  receive(link: PeerLink, bytes: Uint8Array): void {
    this.stats.framesIn++
    let frame
    try {
      frame = decodeFrame(bytes)
    } catch (e) {
      if (!isConchError(e)) throw e
      this.stats.envelopesRejected++
      return
    }
    if (frame.type === FRAME_HAVE) {
      if (!equalBytes(frame.channelId, this.deps.channelId)) return
      this.sendMissing(link, frame.have)
    } else if (frame.type === FRAME_ENVELOPES) {
      for (const env of frame.envelopes) this.enqueue(() => this.acceptEnvelope(env, link, true))
    }
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((e) => console.error('conch: channel task failed', e))
  }

  private notify(): void {
    for (const l of this.listeners) l()
  }

  private async emitLocalUpdate(update: Uint8Array): Promise<void> {
    const header: EnvelopeHeader = {
      scheme: this.deps.cipher.scheme,
      channelId: this.deps.channelId,
      epoch: this.deps.epoch,
      author: this.deps.deviceId,
      seq: this.seq + 1,
      prev: this.prev,
    }
    const body = await this.deps.cipher.seal(update, encodeEnvelopeHeader(header))
    const bytes = encodeEnvelope({ ...header, body })
    await this.deps.store.putEnvelope({
      channel: this.channelHex,
      author: this.deviceHex,
      seq: header.seq,
      bytes,
    })
    this.seq = header.seq
    this.prev = envelopeHash(bytes)
    this.record(this.deviceHex, header.seq, bytes)
    this.stats.envelopesSent++
    this.broadcast([bytes], undefined)
  }

  /** decode -> dedupe -> decrypt -> apply -> persist -> forward. Any failure changes nothing. */
  private async acceptEnvelope(
    bytes: Uint8Array,
    from: PeerLink | undefined,
    persist: boolean,
  ): Promise<void> {
    let decoded
    try {
      decoded = decodeEnvelope(bytes)
    } catch (e) {
      if (!isConchError(e)) throw e
      this.stats.envelopesRejected++
      return
    }
    const { envelope, headerBytes } = decoded
    if (
      !equalBytes(envelope.channelId, this.deps.channelId) ||
      envelope.scheme !== this.deps.cipher.scheme
    ) {
      this.stats.envelopesRejected++
      return
    }
    const author = toHex(envelope.author)
    if (this.logs.get(author)?.envelopes.has(envelope.seq)) {
      this.stats.duplicates++
      return
    }
    let update: Uint8Array
    try {
      update = await this.deps.cipher.open(envelope.body, headerBytes)
    } catch (e) {
      if (!isConchError(e)) throw e
      this.stats.envelopesRejected++
      return
    }
    try {
      Y.applyUpdate(this.doc, update, REMOTE)
    } catch {
      this.stats.envelopesRejected++
      return
    }
    if (persist) {
      await this.deps.store.putEnvelope({
        channel: this.channelHex,
        author,
        seq: envelope.seq,
        bytes,
      })
    }
    this.record(author, envelope.seq, bytes)
    if (author === this.deviceHex && envelope.seq > this.seq) {
      // Our own log, restored from disk: continue the hash chain where it ended.
      this.seq = envelope.seq
      this.prev = envelopeHash(bytes)
    }
    if (from) {
      this.stats.envelopesAccepted++
      this.stats.acceptedVia[from.kind] = (this.stats.acceptedVia[from.kind] ?? 0) + 1
      this.broadcast([bytes], from)
    }
    this.notify()
  }

  private record(author: string, seq: number, bytes: Uint8Array): void {
    let log = this.logs.get(author)
    if (!log) this.logs.set(author, log = { envelopes: new Map(), contiguous: 0 })
    log.envelopes.set(seq, bytes)
    while (log.envelopes.has(log.contiguous + 1)) log.contiguous++
  }

  private haveVector(): { author: Uint8Array; seq: number }[] {
    const out = []
    for (const [author, log] of this.logs) {
      if (log.contiguous > 0) out.push({ author: fromHex(author), seq: log.contiguous })
    }
    return out
  }

  private sendMissing(link: PeerLink, have: { author: Uint8Array; seq: number }[]): void {
    const theirs = new Map(have.map((h) => [toHex(h.author), h.seq]))
    const missing: Uint8Array[] = []
    for (const [author, log] of this.logs) {
      const known = theirs.get(author) ?? 0
      const seqs = [...log.envelopes.keys()].filter((s) => s > known).sort((a, b) => a - b)
      for (const s of seqs) missing.push(log.envelopes.get(s)!)
    }
    this.sendEnvelopes(link, missing)
  }

  private broadcast(envelopes: Uint8Array[], except: PeerLink | undefined): void {
    for (const link of this.links.values()) if (link !== except) this.sendEnvelopes(link, envelopes)
  }

  private sendEnvelopes(link: PeerLink, envelopes: Uint8Array[]): void {
    let batch: Uint8Array[] = []
    let size = 0
    const flush = () => {
      if (batch.length) {
        this.sendFrame(link, encodeFrame({ type: FRAME_ENVELOPES, envelopes: batch }))
      }
      batch = []
      size = 0
    }
    for (const e of envelopes) {
      if (
        batch.length && (size + e.length > MAX_FRAME_BYTES || batch.length >= MAX_FRAME_ENVELOPES)
      ) flush()
      batch.push(e)
      size += e.length
    }
    flush()
  }

  private sendFrame(link: PeerLink, frame: Uint8Array): void {
    try {
      link.send(frame)
      this.stats.framesOut++
    } catch {
      // A closing link: the reconciliation on the next link-up resends whatever was missed.
    }
  }
}
