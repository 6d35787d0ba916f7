// A device's session in one channel: wires engine, storage, signaling and the WebRTC mesh together.
// The composition root (client/main.tsx, tests, the headless peer) supplies the concrete parts.

import { toHex } from '../../crypto/codec/bytes.ts'
import type { ChannelCipher } from '../../crypto/envelope/channel-cipher.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { EnvelopeStore } from '../storage/envelope-store.ts'
import {
  SignalingClient,
  type SignalingMessage,
  type SignalingStatus,
} from '../transport/signaling-client.ts'
import { WebrtcMesh } from '../transport/webrtc-mesh.ts'
import { ChannelEngine } from './channel-engine.ts'

export interface SessionOptions {
  signalingUrl: string
  channelId: Uint8Array
  topic: string
  cipher: ChannelCipher
  store: EnvelopeStore
  now: () => number
  random: RandomSource
  onStatus?(status: SignalingStatus, peers: number, detail?: string): void
  /** Admission: answers the worker's challenge (omit only against an open-mode worker). */
  answerChallenge?(challenge: unknown): SignalingMessage
  /** Worker messages that are not WebRTC signaling (welcome, org-log pushes). */
  onWorkerMessage?(message: SignalingMessage, signaling: SignalingClient): void
}

export interface Session {
  engine: ChannelEngine
  mesh: WebrtcMesh
  signaling: SignalingClient
  close(): void
}

/** Loads (or creates) this device's record, opens the channel, and joins its topic. */
export async function openSession(opts: SessionOptions): Promise<Session> {
  let device = await opts.store.loadDevice()
  if (!device) {
    const r = opts.random(20)
    // Yjs client ids are 53-bit-safe integers; 32 random bits are what Yjs itself uses.
    const clientId = ((r[16] << 24) | (r[17] << 16) | (r[18] << 8) | r[19]) >>> 0
    device = { deviceId: r.slice(0, 16), clientId }
    await opts.store.saveDevice(device)
  }
  const engine = await ChannelEngine.open({
    channelId: opts.channelId,
    epoch: 0,
    cipher: opts.cipher,
    store: opts.store,
    deviceId: device.deviceId,
    clientId: device.clientId,
    now: opts.now,
    random: opts.random,
  })
  // The transport peer id is fresh per page load: it names a connection, not a person.
  const peerId = toHex(opts.random(16))
  let mesh: WebrtcMesh | undefined = undefined
  let status: SignalingStatus = 'connecting'
  let detail: string | undefined
  const report = () => opts.onStatus?.(status, mesh?.peerCount ?? 0, detail)
  const signaling: SignalingClient = new SignalingClient({
    url: opts.signalingUrl,
    answerChallenge: opts.answerChallenge,
    onMessage: (m) => {
      if (m.type === 'publish') mesh?.handle(m)
      else opts.onWorkerMessage?.(m, signaling)
    },
    onOpen: () => mesh?.start(),
    onStatus: (s, d) => {
      status = s
      detail = d
      report()
    },
  })
  mesh = new WebrtcMesh({
    signaling,
    topic: opts.topic,
    peerId,
    events: {
      up: (link) => {
        engine.linkUp(link)
        report()
      },
      down: (link) => {
        engine.linkDown(link)
        report()
      },
      frame: (link, bytes) => engine.receive(link, bytes),
    },
  })
  if (signaling.status === 'open') mesh.start()
  return {
    engine,
    mesh,
    signaling,
    close() {
      mesh.close()
      signaling.close()
    },
  }
}
