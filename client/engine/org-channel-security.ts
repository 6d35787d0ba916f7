// Org mode: Sender Keys per (channel, epoch, device) distributed over pairwise Double Ratchet
// sessions, envelopes signed by the author's certified device key, authors admitted against the
// OrgState (DESIGN §4-§6). Chains rotate on a revocation and on a schedule.

import { equalBytes, fromHex, toHex } from '../../crypto/codec/bytes.ts'
import { fail, isConchError } from '../../crypto/errors/conch-error.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import { signLabelled, verifyLabelled } from '../../crypto/provider/labelled.ts'
import {
  createSenderChain,
  decodeSenderChainState,
  encodeSenderChainState,
  type SenderChainState,
} from '../../crypto/sender-keys/sender-chain.ts'
import { senderDecrypt, senderEncrypt } from '../../crypto/sender-keys/sender-cipher.ts'
import {
  encodeDistributionMessage,
  processDistribution,
} from '../../crypto/sender-keys/distribution-message.ts'
import type { IdentityKeyPair, PublicIdentity } from '../../crypto/x3dh/identity.ts'
import {
  createPrekeyBundle,
  encodePrekeyBundle,
  type SignedPreKey,
} from '../../crypto/x3dh/prekey-bundle.ts'
import { certifiedIdentity, PeerBundles } from '../membership/peer-bundles.ts'
import {
  type DecodedEnvelope,
  encodeEnvelope,
  encodeEnvelopeHeader,
  encodeSignedPart,
  ENVELOPE_SIGNATURE_CONTEXT,
  type EnvelopeHeader,
} from '../sync/envelope.ts'
import type { AuthorRights } from '../sync/update-validator.ts'
import type { AdmitRejection, ChannelSecurity, SealResult } from './channel-security.ts'
import { channelMembers, directMembers } from './channel-members.ts'
import {
  CONTROL_DISTRIBUTION,
  type ControlMessage,
  decodeControl,
  encodeControl,
} from './control-message.ts'
import { PairwiseSessions } from './pairwise-sessions.ts'

export const SCHEME_SENDER_KEYS = 2
/** Old epochs of a sender we still decrypt (late envelopes after a rotation). */
const KEPT_EPOCHS = 4

export interface DeviceKeys {
  deviceId: Uint8Array
  /** Signing key = the certificate's signingPublicKey; dh = its identityDhPublicKey. */
  identity: IdentityKeyPair
  signedPreKey: SignedPreKey
}

export interface OrgSecurityOptions {
  channelId: Uint8Array
  provider: CryptoProvider
  keys: DeviceKeys | undefined // undefined: blind relay
  orgState: OrgState
  now: () => number
  /** Start a new epoch when our chain is older than this (ms); default 7 days. */
  rotateEveryMs?: number
  /**
   * A direct conversation: exactly these devices (hex ids) read it, not the org's channel
   * membership, and nobody moderates it.
   */
  direct?: readonly string[]
  /** Hands a pairwise envelope to the engine for a DIRECT frame to `to`. */
  sendDirect(to: string, payload: Uint8Array): void
  /** Secret rows changed outside a seal (sessions, received chains). */
  persist(rows: { name: string; value: Uint8Array }[]): Promise<void>
  /** Runs background work (bundle checks, distributions) on the engine's serial queue. */
  defer(task: () => Promise<void>): void
  /** A chain arrived: parked envelopes of that author may now open. */
  chainArrived(author: string): void
}

interface OwnMeta {
  createdAt: number
  recipients: string[]
}

interface OwnChain {
  start: SenderChainState
  current: SenderChainState
  createdAt: number
}

export class OrgChannelSecurity implements ChannelSecurity {
  readonly scheme = SCHEME_SENDER_KEYS
  readonly canRead: boolean
  private state: OrgState
  private own: OwnChain | undefined
  /** author hex -> epoch -> chain */
  private readonly received = new Map<string, Map<number, SenderChainState>>()
  /** Colleagues' bundles: heard on links or listed in the org log's prekey directory. */
  private readonly bundles: PeerBundles
  private readonly sessions: PairwiseSessions | undefined
  private readonly channelHex: string
  private readonly me: string
  /** Members our current chain was given to: a removal among them forces a new epoch. */
  private recipients = new Set<string>()
  private rotateDue = false

  constructor(private readonly o: OrgSecurityOptions) {
    this.state = o.orgState
    this.canRead = o.keys !== undefined
    this.channelHex = toHex(o.channelId)
    this.me = o.keys ? toHex(o.keys.deviceId) : ''
    this.bundles = new PeerBundles(o.provider)
    if (o.keys) {
      this.sessions = new PairwiseSessions(
        o.provider,
        o.keys.identity,
        o.keys.signedPreKey,
        this.channelHex,
      )
    }
  }

  /** Restores chains, sessions and bundles from secret rows. */
  restore(rows: { name: string; value: Uint8Array }[]): void {
    this.sessions?.restore(rows)
    const start = rows.find((r) => r.name === `own-start/${this.channelHex}`)
    const current = rows.find((r) => r.name === `own/${this.channelHex}`)
    if (start && current) {
      const meta = rows.find((r) => r.name === `own-meta/${this.channelHex}`)
      const { createdAt, recipients } = meta
        ? JSON.parse(new TextDecoder().decode(meta.value)) as OwnMeta
        : { createdAt: this.o.now(), recipients: [] }
      this.own = {
        start: decodeSenderChainState(start.value),
        current: decodeSenderChainState(current.value),
        createdAt,
      }
      this.recipients = new Set(recipients)
      this.setOrgState(this.state) // a member removed while we were down: rotate
    }
    for (const r of rows) {
      const parts = r.name.split('/')
      if (parts[0] === 'chain' && parts[1] === this.channelHex) {
        const chain = decodeSenderChainState(r.value)
        this.storeChain(toHex(chain.deviceId), chain)
      } else if (parts[0] === 'bundle') {
        this.learnBundle(parts[1], r.value, false)
      }
    }
  }

  get orgState(): OrgState {
    return this.state
  }

  /** Our encoded prekey bundle for HELLO frames (empty for a relay). */
  bundle(): Uint8Array {
    const k = this.o.keys
    return k ? encodePrekeyBundle(createPrekeyBundle(k.identity, k.signedPreKey)) : new Uint8Array()
  }

  /** A bundle from a link: kept if its certified identity signed it and it is not stale. */
  learnBundle(device: string, bytes: Uint8Array, persist = true): void {
    if (bytes.length === 0 || device === this.me) return
    const identity = this.identityOf(device)
    if (!identity) return
    const bundle = this.bundles.candidate(this.state, device, bytes)
    if (!bundle) return
    this.o.defer(async () => {
      if (!(await this.bundles.learn(device, identity, bundle))) return
      if (persist) await this.o.persist([{ name: `bundle/${device}`, value: bytes }])
      // A member we could not reach before: hand it our chain now.
      if (this.own && this.members().has(device)) await this.distributeTo(device)
    })
  }

  private identityOf(device: string): PublicIdentity | undefined {
    return certifiedIdentity(this.state, device)
  }

  isMember(device: string): boolean {
    return this.members().has(device)
  }

  /** Computed once per org state (admission asks for every envelope). */
  private members(): ReadonlySet<string> {
    if (this.membersOf?.state !== this.state) {
      const members = this.o.direct
        ? directMembers(this.state, this.o.direct)
        : channelMembers(this.state, this.o.channelId)
      this.membersOf = { state: this.state, members }
    }
    return this.membersOf.members
  }

  private membersOf: { state: OrgState; members: ReadonlySet<string> } | undefined

  /** A new org state: a member of our chain's audience gone means a new epoch (DESIGN §5). */
  setOrgState(state: OrgState): void {
    const before = this.state
    this.state = state
    const members = this.members()
    // The next seal starts a fresh epoch, given to remaining members only.
    for (const r of this.recipients) if (!members.has(r)) this.rotateDue = true
    // A member we could not reach published a prekey in the org log: hand it our chain now.
    if (!this.own || state.prekeys === before.prekeys) return
    for (const [device, record] of state.prekeys) {
      if (before.prekeys.get(device)?.entryId === record.entryId) continue
      if (device === this.me || !members.has(device) || this.hasSession(device)) continue
      this.o.defer(() => this.distributeTo(device))
    }
  }

  admit(author: string, e: DecodedEnvelope): AdmitRejection | undefined {
    if (e.envelope.scheme !== SCHEME_SENDER_KEYS) return 'wrong-scheme'
    if (!this.state.devices.has(author)) return 'unknown-author'
    if (this.state.revokedDevices.has(author)) return 'revoked-author'
    if (!this.members().has(author)) return 'not-member'
    return undefined
  }

  verify(author: string, e: DecodedEnvelope): Promise<boolean> {
    const d = this.state.devices.get(author)
    if (!d) return Promise.resolve(false)
    return verifyLabelled(
      this.o.provider,
      d.signingPublicKey,
      ENVELOPE_SIGNATURE_CONTEXT,
      e.signedBytes,
      e.envelope.signature,
    )
  }

  rights(author: string): AuthorRights | undefined {
    const d = this.state.devices.get(author)
    if (!d) return { ownsClient: () => false, keyPrefix: '-', mayWrite: false, mayModerate: false }
    const channel = this.state.channels.get(this.channelHex)
    const { start, end } = d.clientIdRange
    return {
      ownsClient: (c) => c >= start && c < end,
      keyPrefix: `${author}:`,
      mayWrite: !channel?.broadcast || d.roles.has('publisher'),
      mayModerate: !this.o.direct && d.roles.has('admin'),
    }
  }

  async open(author: string, e: DecodedEnvelope): Promise<Uint8Array | 'no-key'> {
    const chain = this.received.get(author)?.get(e.envelope.epoch)
    if (!chain) return 'no-key'
    const { state, plaintext } = await senderDecrypt(this.o.provider, chain, e.envelope.body, {
      authenticatedByCaller: true,
      context: e.headerBytes,
    })
    this.received.get(author)!.set(e.envelope.epoch, state)
    return plaintext
  }

  /** Epoch our next envelope will carry (after a rotation that may be due). */
  async seal(
    header: Omit<EnvelopeHeader, 'scheme' | 'epoch'>,
    update: Uint8Array,
  ): Promise<SealResult> {
    const k = this.o.keys
    if (!k) return fail('membership/forbidden', 'a relay does not write')
    const rotated = await this.ensureChain()
    const own = this.own!
    const full: EnvelopeHeader = { ...header, scheme: SCHEME_SENDER_KEYS, epoch: own.current.epoch }
    // The envelope header is bound into the AEAD too: the ciphertext cannot move to another
    // (seq, prev) even in the hands of a device that holds our chain key.
    const { state, message } = await senderEncrypt(this.o.provider, own.current, update, {
      context: encodeEnvelopeHeader(full),
    })
    own.current = state
    const signed = encodeSignedPart(full, message)
    const signature = await signLabelled(
      this.o.provider,
      k.identity.signing,
      ENVELOPE_SIGNATURE_CONTEXT,
      signed,
    )
    const secrets = [{ name: `own/${this.channelHex}`, value: encodeSenderChainState(state) }]
    if (rotated) {
      secrets.push(
        { name: `own-start/${this.channelHex}`, value: encodeSenderChainState(own.start) },
        this.ownMetaRow(own),
      )
    }
    return { bytes: encodeEnvelope(signed, signature), secrets }
  }

  private ownMetaRow(own: OwnChain): { name: string; value: Uint8Array } {
    const meta: OwnMeta = { createdAt: own.createdAt, recipients: [...this.recipients] }
    return {
      name: `own-meta/${this.channelHex}`,
      value: new TextEncoder().encode(JSON.stringify(meta)),
    }
  }

  /** Makes a chain for a new epoch when we have none or ours is due; distributes it. */
  private async ensureChain(): Promise<boolean> {
    const every = this.o.rotateEveryMs ?? 7 * 24 * 3600_000
    if (this.own && !this.rotateDue && this.o.now() - this.own.createdAt < every) return false
    this.rotateDue = false
    const epoch = this.own ? this.own.current.epoch + 1 : 0
    const chain = await createSenderChain(this.o.provider, {
      channelId: this.o.channelId,
      epoch,
      deviceId: this.o.keys!.deviceId,
    })
    this.own = { start: chain, current: chain, createdAt: this.o.now() }
    this.storeChain(this.me, { ...chain, signingSecretKey: undefined })
    this.recipients = new Set(this.members())
    this.recipients.delete(this.me)
    for (const device of this.recipients) this.o.defer(() => this.distributeTo(device))
    return true
  }

  /** Our chain for `epoch` (from its start) to one member device, over our pairwise session. */
  async distributeTo(device: string, epoch?: number, freshSession = false): Promise<void> {
    const own = this.own
    if (!own || !this.sessions || (epoch !== undefined && epoch !== own.start.epoch)) return
    if (!this.members().has(device)) return
    if (!this.recipients.has(device)) {
      // A member who joined after the chain was made: it may read from now on; remembered, so
      // that its removal later starts a new epoch.
      this.recipients.add(device)
      await this.o.persist([this.ownMetaRow(own)])
    }
    // The requester lost our session (a crash before it was stored): start a new one.
    if (freshSession) this.sessions.restart(device)
    await this.sendControl(device, {
      type: CONTROL_DISTRIBUTION,
      channelId: this.o.channelId,
      payload: encodeDistributionMessage(own.start),
    })
  }

  /** One control message to a member device over our session; false when we cannot reach it. */
  async sendControl(device: string, control: ControlMessage): Promise<boolean> {
    const identity = this.identityOf(device)
    if (!this.sessions || !identity || !this.members().has(device)) return false
    try {
      // A member never linked to us: its directory bundle; the frame waits in mailboxes.
      const { envelope, changed } = await this.sessions.encrypt(
        device,
        identity,
        await this.bundles.bundleFor(this.state, device),
        encodeControl(control),
      )
      // Stored before it leaves: a restart must never encrypt twice under one message key.
      await this.o.persist(changed)
      this.o.sendDirect(device, envelope)
      return true
    } catch (e) {
      if (!isConchError(e)) throw e // no bundle yet: sent when one arrives
      return false
    }
  }

  /**
   * A pairwise envelope from `from` (a member): a chain distribution is taken only from its own
   * device and kept here; any other control message for this channel is returned.
   */
  async receiveDirect(from: string, payload: Uint8Array): Promise<ControlMessage | undefined> {
    const identity = this.identityOf(from)
    if (!this.sessions || !identity || !this.members().has(from)) return
    const { plaintext, changed } = await this.sessions.decrypt(from, identity, payload)
    await this.o.persist(changed)
    const control = decodeControl(plaintext)
    if (!equalBytes(control.channelId, this.o.channelId)) return
    if (control.type !== CONTROL_DISTRIBUTION) return control
    const chain = processDistribution(fromHex(from), control.payload)
    if (!equalBytes(chain.channelId, this.o.channelId)) return
    if (this.received.get(from)?.has(chain.epoch)) return
    this.storeChain(from, chain)
    await this.o.persist([{
      name: `chain/${this.channelHex}/${from}/${chain.epoch}`,
      value: encodeSenderChainState(chain),
    }])
    this.o.chainArrived(from)
  }

  hasSession(device: string): boolean {
    return this.sessions?.has(device) ?? false
  }

  debugState(): string {
    const chains = [...this.received].map(([a, e]) => `${a.slice(0, 6)}@${[...e.keys()]}`)
    return `epoch=${this.own?.start.epoch} chains=[${chains}] bundles=${this.bundles.size}`
  }

  private storeChain(author: string, chain: SenderChainState): void {
    let epochs = this.received.get(author)
    if (!epochs) this.received.set(author, epochs = new Map())
    epochs.set(chain.epoch, chain)
    if (epochs.size > KEPT_EPOCHS) epochs.delete(Math.min(...epochs.keys()))
  }
}
