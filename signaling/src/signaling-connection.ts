// One client connection: admission state machine, y-webrtc message handling and limits.

import { base64url, fromBase64url } from '../../crypto/codec/bytes.ts'
import { isConchError } from '../../crypto/errors/conch-error.ts'
import type { AdmissionGate, AdmittedDevice, OrgLogService } from './admission-gate.ts'
import { CLOSE_CODES, type CloseReason, refusalForErrorCode } from './close-codes.ts'
import {
  BadFrameError,
  type ClientMessage,
  isValidTopic,
  parseClientMessage,
} from './client-message.ts'
import type { SignalingLimits } from './config.ts'
import type { SignalingMetrics } from './metrics.ts'
import { TokenBucket } from './token-bucket.ts'
import type { LeanSocketEvents } from './websocket/lean-websocket.ts'
import type { Subscriber, TopicHub } from './topic-hub.ts'

/** The parts of a WebSocket the connection uses (Deno's server-side WebSocket fits). */
export interface SocketLike {
  send(data: string): void
  close(code?: number, reason?: string): void
  readonly bufferedAmount: number
}

export interface ConnectionContext {
  open: boolean
  limits: SignalingLimits
  hub: TopicHub
  metrics: SignalingMetrics
  now(): number
  random(n: number): Uint8Array
  gate: AdmissionGate | undefined
  orgLog: OrgLogService | undefined
  /** Called once when the connection ends, so the worker can forget it. */
  forget(connection: SignalingConnection): void
}

export const CHALLENGE_LENGTH = 32

type State = 'awaiting-auth' | 'verifying' | 'admitted' | 'closed'

export class SignalingConnection implements Subscriber, LeanSocketEvents {
  private state: State = 'awaiting-auth'
  /** Allocated on the first subscribe: a connection that never subscribes holds no set. */
  private topics: Set<string> | undefined
  private readonly bucket: TokenBucket
  /**
   * Frames dropped over the limit spend this second budget; when it runs out, the flood closes.
   * Allocated at the first drop (full, as if made at connect: the burst caps it either way).
   */
  private dropBudget: TokenBucket | undefined
  private challenge: Uint8Array | undefined
  private readonly openedAt: number
  private lastFrameAt: number
  device: AdmittedDevice | undefined
  /** Receives org log pushes: every admitted device, or in open mode whoever asked once. */
  wantsOrgLog = false

  constructor(private readonly socket: SocketLike, private readonly ctx: ConnectionContext) {
    const now = ctx.now()
    this.openedAt = now
    this.lastFrameAt = now
    this.bucket = new TokenBucket(ctx.limits.messagesPerSecond, ctx.limits.burst, now)
  }

  get admitted(): boolean {
    return this.state === 'admitted'
  }

  get closed(): boolean {
    return this.state === 'closed'
  }

  /** Socket is open: in open mode the client is in; otherwise it gets its challenge. */
  start(): void {
    if (this.ctx.open) {
      this.state = 'admitted'
      return
    }
    this.challenge = this.ctx.random(CHALLENGE_LENGTH)
    this.send({ type: 'challenge', challenge: base64url(this.challenge) })
  }

  /** A frame from the socket: a bug in handling it costs this connection, not the process. */
  onmessage(data: unknown): void {
    try {
      this.receive(data)
    } catch (e) {
      // No frame content is logged.
      console.error(`signaling: ${this.describe()}: ${(e as Error)?.name}`)
      this.refuse('bad-frame')
    }
  }

  /** The lean socket saw a frame it cannot accept. */
  onerror(kind: 'too-large' | 'protocol' | 'bad-utf8'): void {
    this.refuse(kind === 'too-large' ? 'frame-too-large' : 'bad-frame')
  }

  onclose(): void {
    this.end()
  }

  /** One incoming frame. Binary frames are not part of the protocol. */
  receive(data: unknown): void {
    if (this.state === 'closed') return
    const now = this.ctx.now()
    this.lastFrameAt = now
    this.ctx.metrics.messagesIn++
    if (typeof data !== 'string') return this.refuse('bad-frame')
    // UTF-16 length bounds UTF-8 bytes from below by 1/3; check the cheap bound first.
    if (
      data.length > this.ctx.limits.maxFrameBytes ||
      (data.length * 3 > this.ctx.limits.maxFrameBytes &&
        new TextEncoder().encode(data).length > this.ctx.limits.maxFrameBytes)
    ) return this.refuse('frame-too-large')
    if (!this.bucket.take(now)) {
      this.ctx.metrics.droppedRateLimited++
      const limits = this.ctx.limits
      this.dropBudget ??= new TokenBucket(limits.messagesPerSecond, limits.burst * 5, now)
      if (!this.dropBudget.take(now)) this.refuse('rate-limited')
      return
    }
    let message: ClientMessage
    try {
      message = parseClientMessage(data)
    } catch (e) {
      if (e instanceof BadFrameError) return this.refuse('bad-frame')
      throw e
    }
    if (this.state === 'awaiting-auth') {
      if (message.type !== 'auth') return this.refuse('auth-required')
      this.state = 'verifying'
      this.authenticate(message, now)
      return
    }
    // Nothing may be pipelined behind `auth`: the client waits for `welcome`.
    if (this.state === 'verifying') return this.refuse('auth-required')
    this.handle(message)
  }

  private async authenticate(
    message: Extract<ClientMessage, { type: 'auth' }>,
    now: number,
  ): Promise<void> {
    const challenge = this.challenge
    // Each challenge is answered at most once, and only on the connection it was issued to.
    this.challenge = undefined
    if (!challenge || message.challenge !== base64url(challenge)) return this.refuse('replay')
    const gate = this.ctx.gate
    if (!gate) return this.refuse('untrusted')
    let device: AdmittedDevice
    try {
      device = await gate.admit(
        fromBase64url(message.credential),
        challenge,
        fromBase64url(message.signature),
        now,
      )
    } catch (e) {
      // Anything the decoders or verifiers throw is a refusal, never a crash of the worker.
      return this.refuse(refusalForErrorCode(isConchError(e) ? e.code : undefined))
    }
    if (this.state !== 'verifying') return // closed meanwhile
    this.device = device
    this.state = 'admitted'
    this.wantsOrgLog = true
    this.ctx.metrics.admitted++
    const limits = this.ctx.limits
    this.send({
      type: 'welcome',
      deviceId: device.deviceId,
      userId: device.userId,
      notAfter: device.notAfter,
      heads: this.ctx.orgLog?.heads() ?? [],
      limits: {
        maxFrameBytes: limits.maxFrameBytes,
        maxTopics: limits.maxTopicsPerConnection,
        messagesPerSecond: limits.messagesPerSecond,
        burst: limits.burst,
      },
    })
  }

  private handle(message: ClientMessage): void {
    switch (message.type) {
      case 'subscribe': {
        const topics = this.topics ??= new Set()
        for (const topic of message.topics) {
          if (!isValidTopic(topic, this.ctx.open)) {
            if (this.ctx.open) continue // y-webrtc's server skips non-string topics
            return this.refuse('bad-topic')
          }
          if (topics.has(topic)) continue
          if (topics.size >= this.ctx.limits.maxTopicsPerConnection) {
            return this.refuse('too-many-topics')
          }
          topics.add(topic)
          this.ctx.hub.subscribe(topic, this)
        }
        return
      }
      case 'unsubscribe':
        for (const topic of message.topics) {
          if (typeof topic !== 'string' || !this.topics?.delete(topic)) continue
          this.ctx.hub.unsubscribe(topic, this)
        }
        return
      case 'publish':
        if (!isValidTopic(message.topic, this.ctx.open)) {
          if (this.ctx.open) return
          return this.refuse('bad-topic')
        }
        this.ctx.metrics.publishes++
        this.ctx.hub.publish(message.topic, message.message)
        return
      case 'ping':
        return this.send({ type: 'pong' })
      case 'auth':
        // A second answer on an admitted connection is a replay.
        return this.refuse('replay')
      case 'org-log-request': {
        const log = this.ctx.orgLog
        if (!log) return
        this.wantsOrgLog = true
        return this.pushOrgLog(log.bundleSince(message.heads), log.heads())
      }
      case 'pong':
      case 'unknown':
        return
    }
  }

  /** Sends the `org-log` message: entries (an encodeLogBundle body) and the resulting heads. */
  pushOrgLog(bundle: Uint8Array, heads: string[]): void {
    this.send({ type: 'org-log', entries: base64url(bundle), heads })
  }

  private send(message: Record<string, unknown>): void {
    this.deliver(JSON.stringify(message))
  }

  /** Sends a frame unless the client is not reading: then it is dropped as a slow consumer. */
  deliver(frame: string): void {
    if (this.state === 'closed') return
    if (this.socket.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      return this.refuse('slow-consumer')
    }
    try {
      this.socket.send(frame)
      this.ctx.metrics.messagesOut++
    } catch {
      this.closed || this.end()
    }
  }

  /** Periodic check (the worker calls it about once a second): timeouts and expiry. */
  tick(now: number): void {
    const admitting = this.state === 'awaiting-auth' || this.state === 'verifying'
    if (admitting && now - this.openedAt > this.ctx.limits.authTimeoutMs) {
      return this.refuse('auth-timeout')
    }
    if (now - this.lastFrameAt > this.ctx.limits.idleTimeoutMs) return this.refuse('idle')
    if (this.device && now >= this.device.notAfter) return this.refuse('expired')
  }

  /** After the org log changed: a revoked (or no longer valid) device is closed at once. */
  recheck(now: number): void {
    if (!this.device || !this.ctx.gate || this.state !== 'admitted') return
    try {
      this.ctx.gate.recheck(this.device, now)
    } catch (e) {
      this.refuse(refusalForErrorCode(isConchError(e) ? e.code : undefined))
    }
  }

  /** Closes with the reason's code; counted in metrics by reason. */
  refuse(reason: CloseReason): void {
    if (this.state === 'closed') return
    this.ctx.metrics.refuse(reason)
    this.end()
    try {
      this.socket.close(CLOSE_CODES[reason], reason)
    } catch {
      // already closing
    }
  }

  /** The socket closed (either side): leave every topic. Idempotent. */
  end(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    if (this.topics) { for (const topic of this.topics) this.ctx.hub.unsubscribe(topic, this) }
    this.topics = undefined
    this.ctx.forget(this)
  }

  /** For logs and tests: the device id, or a short tag. Never the credential. */
  describe(): string {
    return this.device
      ? `device ${this.device.deviceId}`
      : this.challenge
      ? 'unauthenticated'
      : 'open'
  }
}
