// One channel: a Yjs document whose every local update leaves as a sealed, signed envelope
// (durable before it is sent), and whose received envelopes pass the receive pipeline
// (receive-pipeline.ts) before they are forwarded. The UI-facing and transport-facing API.

import * as Y from 'yjs'
import { fromHex, toHex } from '../../crypto/codec/bytes.ts'
import type { ChannelCipher } from '../../crypto/envelope/channel-cipher.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { EnvelopeStore, StoredEnvelope } from '../storage/envelope-store.ts'
import { decodeEnvelope, ZERO_HASH } from '../sync/envelope.ts'
import { EnvelopeLog } from '../sync/envelope-log.ts'
import type { HistorySnapshot } from '../sync/history-snapshot.ts'
import type { PeerLink } from '../transport/peer-link.ts'
import { type ChannelSecurity, sharedKeySecurity } from './channel-security.ts'
import type { MessageView } from './chat-message.ts'
import { ChannelDocument } from './channel-document.ts'
import { type ChannelStats, emptyStats, type Stage } from './channel-stats.ts'
import { CONTROL_SNAPSHOT } from './control-message.ts'
import { HISTORY_POLICY, HistoryExchange } from './history-exchange.ts'
import { ChannelPersistence } from './channel-persistence.ts'
import { ChannelPresence } from './channel-presence.ts'
import { LinkRouter } from './link-router.ts'
import { type DeviceKeys, OrgChannelSecurity } from './org-channel-security.ts'
import { type Accepted, ReceivePipeline, REMOTE } from './receive-pipeline.ts'
import { DeliveryTracker } from './delivery-tracker.ts'

export interface ChannelEngineDeps {
  channelId: Uint8Array
  store: EnvelopeStore
  deviceId: Uint8Array
  clientId: number
  now: () => number
  random: RandomSource
  /** Walking-skeleton mode: one shared channel secret (no per-author authenticity). */
  cipher?: ChannelCipher
  epoch?: number
  /** Org mode: Sender Keys, device signatures, membership from the org state. */
  org?: {
    provider: CryptoProvider
    /** Undefined for a blind relay that serves ciphertext without channel keys. */
    keys: DeviceKeys | undefined
    orgState: OrgState
    rotateEveryMs?: number
    /** A direct conversation between exactly these devices (hex ids). */
    direct?: readonly string[]
  }
  compactEvery?: number
  /** High-resolution clock for the per-stage cost breakdown (benchmarks); off by default. */
  stageClock?: () => number
}

export type { ChannelStats }

export class ChannelEngine {
  readonly doc = new Y.Doc()
  readonly stats: ChannelStats = emptyStats()
  readonly document: ChannelDocument
  private readonly security: ChannelSecurity
  private readonly org: OrgChannelSecurity | undefined
  private readonly channelHex: string
  private readonly me: string
  private readonly log = new EnvelopeLog()
  private readonly router: LinkRouter
  private readonly listeners = new Set<() => void>()
  private readonly pipeline: ReceivePipeline
  private seq = 0
  private prev: Uint8Array = ZERO_HASH
  private readonly delivery = new DeliveryTracker()
  private readonly persistence: ChannelPersistence
  private queue: Promise<void> = Promise.resolve()
  private wiped = false
  private readonly history: HistoryExchange
  private readonly presence: ChannelPresence
  /** Peers whose pairwise messages we could not open: our key requests ask for a new session. */
  private readonly brokenSessions = new Set<string>()

  private constructor(private readonly deps: ChannelEngineDeps) {
    this.doc.clientID = deps.clientId
    this.channelHex = toHex(deps.channelId)
    this.me = toHex(deps.deviceId)
    this.document = new ChannelDocument(this.doc, this.me, deps.now, deps.random)
    this.history = new HistoryExchange(deps.channelId, deps.random)
    this.presence = new ChannelPresence(deps.now)
    this.persistence = new ChannelPersistence(
      deps.store,
      this.channelHex,
      this.doc,
      this.log,
      deps.compactEvery,
    )
    this.router = new LinkRouter(deps.deviceId, deps.channelId, this.stats, {
      have: () => this.log.haveVector(),
      missingFor: (have) => {
        const missing = this.log.missingFor(have)
        // Everything of ours the peer lacked goes out now: it has left this device.
        const theirs = have.find((h) => toHex(h.author) === this.me)?.seq ?? 0
        if (this.seq > theirs && missing.length > 0) this.markSent(this.seq)
        return missing
      },
      bundle: () => this.org?.bundle() ?? new Uint8Array(),
      hello: (device, bundle) => this.org?.learnBundle(device, bundle),
      peerHave: (device, seq) => this.peerHolds(device, seq),
      newcomer: (device) => this.newcomer(device),
      envelopes: (link, envs) => this.enqueue(() => this.acceptBatch(envs, link)),
      direct: (from, payload) => this.enqueue(() => this.receiveDirect(from, payload)),
      keyRequest: (requester, epoch, fresh) =>
        this.enqueue(async () => await this.org?.distributeTo(requester, epoch, fresh)),
      typing: (device, on) => {
        if (this.presence.heard(device, on)) this.notify()
      },
      peersChanged: () => this.notify(),
    }, deps.random)
    if (deps.org) {
      this.org = new OrgChannelSecurity({
        channelId: deps.channelId,
        provider: deps.org.provider,
        keys: deps.org.keys,
        orgState: deps.org.orgState,
        now: deps.now,
        rotateEveryMs: deps.org.rotateEveryMs,
        direct: deps.org.direct,
        sendDirect: (to, payload) => this.router.sendDirect(to, payload),
        persist: (rows) => this.deps.store.commit({ secrets: rows }),
        defer: (task) => this.enqueue(task),
        chainArrived: (author) => this.enqueue(() => this.pipeline.retryParked(author)),
      })
      this.security = this.org
    } else if (deps.cipher) {
      this.security = sharedKeySecurity(deps.cipher)
    } else {
      throw new RangeError('a channel needs org keys or a channel cipher')
    }
    this.pipeline = new ReceivePipeline({
      channelId: deps.channelId,
      channelHex: this.channelHex,
      doc: this.doc,
      log: this.log,
      security: this.security,
      store: deps.store,
      stats: this.stats,
      stageClock: deps.stageClock,
      requestKey: (author, epoch) =>
        this.router.requestKey(author, epoch, this.brokenSessions.has(toHex(author))),
      afterApply: () => this.keepClientId(),
      accepted: (batch, from) => this.afterAccepted(batch, from),
    })
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE && !this.wiped) {
        const ids = this.delivery.takePending()
        this.enqueue(() => this.emitLocalUpdate(update, ids))
      }
      this.notify()
    })
  }

  /** Loads the stored snapshot, updates, envelopes and secrets, then starts the engine. */
  static async open(deps: ChannelEngineDeps): Promise<ChannelEngine> {
    const engine = new ChannelEngine(deps)
    await engine.restore()
    if (engine.org) await engine.checkWipe(engine.org.orgState)
    return engine
  }

  private async restore(): Promise<void> {
    const { store } = this.deps
    this.org?.restore(await store.listSecrets(''))
    await this.persistence.restore()
    this.keepClientId()
    const mine = this.log.last(this.me)
    if (mine) {
      this.seq = mine.seq
      this.prev = mine.hash
      this.delivery.restarted()
    }
  }

  // ---- the UI-facing API -------------------------------------------------------------------

  get deviceIdHex(): string {
    return this.me
  }

  /** Posts a message (or a thread reply); returns its id. Durable once `idle()` resolves. */
  post(text: string, opts: { threadOf?: string } = {}): string {
    let id = ''
    // One transaction, so the update event (fired at its end) already knows the id.
    this.doc.transact(() => {
      id = this.document.post(text, opts)
      this.delivery.posted(id)
    })
    return id
  }

  edit(id: string, text: string): void {
    this.document.edit(id, text)
  }

  /** Deletes our own message; an admin device may delete anyone's (moderation). */
  remove(id: string): void {
    this.document.remove(id, this.org?.rights(this.me)?.mayModerate ?? false)
  }

  react(id: string, emoji: string, on: boolean): void {
    this.document.react(id, emoji, on)
  }

  markRead(hlc: number): void {
    this.document.acknowledge('read', hlc)
  }

  markDelivered(hlc: number): void {
    this.document.acknowledge('delivered', hlc)
  }

  /** Top-level messages with reactions, edit/delete flags, thread counts and delivery state. */
  messages(): MessageView[] {
    return this.wiped ? [] : this.document.views((m) => this.delivery.state(m))
  }

  thread(id: string): MessageView[] {
    return this.wiped ? [] : this.document.thread(id, (m) => this.delivery.state(m))
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Resolves when all queued sends and receives have been processed (and persisted). */
  async idle(): Promise<void> {
    let q
    do {
      q = this.queue
      await q
    } while (q !== this.queue)
  }

  /** True once the message's envelope is durable in local storage (acknowledged). */
  durable(id: string): boolean {
    return this.delivery.durable(id)
  }

  /** Counters-only diagnostics: held sequence vector and parked envelopes per author. */
  debugState(): string {
    const have = this.log.haveVector().map((h) => `${toHex(h.author).slice(0, 6)}:${h.seq}`)
    const parked = [...this.pipeline.parked].map(([a, l]) => `${a.slice(0, 6)}:${l.size}`)
    return `seq=${this.seq} have=[${have}] parked=[${parked}] ${this.org?.debugState() ?? ''}`
  }

  get isWiped(): boolean {
    return this.wiped
  }

  // ---- the transport-facing API (PeerLink) ------------------------------------------------

  linkUp(link: PeerLink): void {
    if (this.wiped) return
    this.router.linkUp(link)
    this.notify()
  }

  linkDown(link: PeerLink): void {
    const before = this.router.presentDevices()
    this.router.linkDown(link)
    const after = new Set(this.router.presentDevices())
    for (const d of before) if (!after.has(d)) this.presence.gone(d)
    this.notify()
  }

  // ---- presence and typing (ephemeral; never stored) ---------------------------------------

  /** Tells directly linked peers this device is (or stopped) typing here. */
  setTyping(on: boolean): void {
    if (!this.wiped) this.router.sendTyping(on)
  }

  /** Other devices typing in this channel right now (hex ids). */
  typing(): string[] {
    return this.presence.typing()
  }

  /** Other devices with a live link in this channel (hex ids). */
  present(): string[] {
    return this.router.presentDevices()
  }

  /** Bytes from a peer: malformed frames are counted and dropped, never thrown at the transport. */
  receive(link: PeerLink, bytes: Uint8Array): void {
    if (!this.wiped) this.router.receive(link, bytes)
  }

  /** Sends our sequence vector on every link again (after a heal, or on a timer). */
  sync(): void {
    this.router.announceAll()
  }

  /** A new org state (from the org log): revocations rotate our chain; a wipe erases us. */
  setOrgState(state: OrgState): void {
    if (!this.org) return
    this.org.setOrgState(state)
    this.enqueue(() => this.checkWipe(state))
    // Authors this state newly admits may have been refused before: ask the peers again.
    this.enqueue(() => Promise.resolve(this.wiped ? undefined : this.router.announceAll()))
  }

  // ---- internals --------------------------------------------------------------------------

  private async checkWipe(state: OrgState): Promise<void> {
    if (this.wiped || !state.wipedDevices.has(this.me)) return
    this.wiped = true
    this.router.closeAll()
    this.doc.destroy()
    await this.deps.store.wipe()
    this.notify()
  }

  private markSent(seq: number): void {
    if (this.delivery.sent(seq)) this.notify()
  }

  /** A peer holds our envelopes up to `seq`: they left; a non-member holder has relayed them. */
  private peerHolds(device: string | undefined, seq: number): void {
    this.markSent(seq)
    if (!this.org || !device || this.org.isMember(device)) return
    if (this.delivery.relayed(seq)) this.notify()
  }

  /**
   * Yjs picks a new client id when a remote transaction touches ours (it assumes a clash); here
   * it is our own history coming back (restore, or a peer serving it), and the certificate fixes
   * our ids, so we keep writing under ours, after the highest clock now known.
   */
  private keepClientId(): void {
    if (this.doc.clientID !== this.deps.clientId) this.doc.clientID = this.deps.clientId
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((e) => console.error('conch: channel task failed', e))
  }

  private notify(): void {
    for (const l of this.listeners) l()
  }

  private time<T>(stage: Stage, run: () => Promise<T>): Promise<T> {
    const clock = this.deps.stageClock
    if (!clock) return run()
    const started = clock()
    return run().finally(() => this.stats.stageMs[stage] += clock() - started)
  }

  private async emitLocalUpdate(update: Uint8Array, ids: string[]): Promise<void> {
    if (this.wiped) return
    const seq = this.seq + 1
    const sealed = await this.time(
      'seal',
      () =>
        this.security.seal({
          channelId: this.deps.channelId,
          author: this.deps.deviceId,
          seq,
          prev: this.prev,
        }, update),
    )
    const d = decodeEnvelope(sealed.bytes)
    const row: StoredEnvelope = {
      channel: this.channelHex,
      author: this.me,
      seq,
      bytes: sealed.bytes,
      update,
    }
    await this.time(
      'persist',
      () => this.deps.store.commit({ envelopes: [row], secrets: sealed.secrets }),
    )
    this.seq = seq
    this.prev = d.hash
    this.log.record(this.me, seq, { bytes: sealed.bytes, prev: d.envelope.prev, hash: d.hash })
    this.persistence.noteUpdate(this.me, seq)
    this.stats.envelopesSent++
    this.delivery.stored(ids, seq, this.router.broadcast([sealed.bytes], undefined) > 0)
    await this.persistence.maybeCompact()
    this.notify()
  }

  private async acceptBatch(raw: Uint8Array[], from: PeerLink | undefined): Promise<void> {
    if (!this.wiped) await this.pipeline.acceptBatch(raw, from)
  }

  /** Bookkeeping after the pipeline accepted and stored a batch (for the log, see there). */
  private async afterAccepted(accepted: Accepted[], from: PeerLink | undefined): Promise<void> {
    for (const { d, author, update } of accepted) {
      if (update) this.persistence.noteUpdate(author, d.envelope.seq)
      if (author === this.me && d.envelope.seq > this.seq) {
        this.seq = d.envelope.seq // our own log, served back by a peer after we lost it
        this.prev = d.hash
      }
    }
    this.router.broadcast(accepted.map((a) => a.d.bytes), from)
    if (from && !this.security.canRead) this.router.acknowledge(from)
    await this.persistence.maybeCompact()
    this.notify()
  }

  private async receiveDirect(from: string, payload: Uint8Array): Promise<void> {
    if (!this.org) return
    let control
    try {
      control = await this.org.receiveDirect(from, payload)
      this.brokenSessions.delete(from)
      if (control?.type !== CONTROL_SNAPSHOT) return
      const snapshot = this.history.receive(from, control.payload)
      if (snapshot) await this.acceptHistory(snapshot)
    } catch (e) {
      if (!isConchError(e)) throw e
      this.stats.directRejected++
      if (!control) this.brokenSessions.add(from)
    }
  }

  /** A member device arrived with nothing: it gets the channel as a snapshot (policy allowing). */
  private newcomer(device: string): boolean {
    const org = this.org
    if (!org?.canRead || !org.isMember(device) || device === this.me || this.log.size === 0) {
      return false
    }
    if (org.orgState.policies.get(HISTORY_POLICY)?.value === 'none') return false
    if (!this.history.claim(device)) return false
    this.enqueue(async () => void await this.shareHistory(device))
    return true
  }

  /** Sends our document and sequence vector to `device` over our pairwise session. */
  async shareHistory(device: string): Promise<boolean> {
    if (!this.org) return false
    const vector = this.log.bases().map((b) => ({ ...b, author: fromHex(b.author) }))
    const doc = Y.encodeStateAsUpdate(this.doc)
    for (const control of this.history.controls({ vector, doc })) {
      if (!(await this.org.sendControl(device, control))) return false
    }
    return true
  }

  private async acceptHistory(snapshot: HistorySnapshot): Promise<void> {
    const wasEmpty = this.doc.store.clients.size === 0
    Y.applyUpdate(this.doc, snapshot.doc, REMOTE)
    this.keepClientId()
    for (const v of snapshot.vector) {
      const author = toHex(v.author)
      if (v.seq > this.log.contiguous(author)) {
        this.log.setBase(author, v.seq, v.hash)
        this.persistence.noteBase({ author, seq: v.seq, hash: v.hash })
      }
    }
    this.stats.snapshotsAccepted++
    // Stored as received when we had nothing else: no second encoding of a large document.
    await this.persistence.compact(wasEmpty ? snapshot.doc : undefined)
    this.router.announceAll() // ask for whatever is newer than the snapshot
    this.notify()
  }

  /** Local storage compaction: the document as one snapshot replaces the stored updates. */
}
