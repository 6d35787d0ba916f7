// Test world for org-mode channels: a seeded org (root, devices with certificates, a channel)
// built through the public membership API, device keys for the engine, and engine factories.

import { chacha20 } from '@noble/ciphers/chacha.js'
import { toHex } from '../../crypto/codec/bytes.ts'
import {
  appendOrgEntry,
  type IssuedDevice,
  issueDevice,
  type LogEntry,
  type LogEntryBody,
  type OrgState,
  reduceOrgLog,
  type Role,
} from '../../crypto/membership/index.ts'
import type { OrgAnchor } from '../../crypto/membership/org-anchor.ts'
import { generateSigningKeyPair, type SigningKeyPair } from '../../crypto/primitives/ed25519.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import { generateDhKeyPair } from '../../crypto/primitives/x25519.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import { createWebCryptoProvider } from '../../crypto/provider/webcrypto-provider.ts'
import { createSignedPreKey } from '../../crypto/x3dh/prekey-bundle.ts'
import { ChannelEngine } from '../../client/engine/channel-engine.ts'
import type { DeviceKeys } from '../../client/engine/org-channel-security.ts'
import { prekeyPublication } from '../../client/membership/prekey-publication.ts'
import { memoryRawStore } from '../../client/storage/memory-raw-store.ts'
import type { RawStore } from '../../client/storage/raw-store.ts'
import { sealedStore } from '../../client/storage/sealed-store.ts'

export const T0 = Date.UTC(2026, 10, 1)

/** A ChaCha20 keystream as a RandomSource: replayable from the seed. */
export function chachaRandom(seed: number, domain = 0x636c6e74): RandomSource {
  const key = new Uint8Array(32)
  new DataView(key.buffer).setUint32(0, seed >>> 0)
  new DataView(key.buffer).setUint32(4, domain)
  let counter = 0
  return (n) => {
    const nonce = new Uint8Array(12)
    new DataView(nonce.buffer).setUint32(0, counter++)
    return chacha20(key, nonce, new Uint8Array(n))
  }
}

export interface WorldDevice {
  name: string
  keys: DeviceKeys
  hex: string
  clientId: number
  storageKey: Uint8Array
  issued: IssuedDevice
}

export class OrgWorld {
  readonly random: RandomSource
  readonly root: SigningKeyPair
  readonly anchor: OrgAnchor
  readonly channelId: Uint8Array
  log: LogEntry[] = []
  now = T0
  readonly devices = new Map<string, WorldDevice>()

  private constructor(seed: number, readonly provider: CryptoProvider) {
    this.random = chachaRandom(seed)
    this.root = generateSigningKeyPair(this.random)
    this.anchor = { orgId: this.random(16), rootPublicKey: this.root.publicKey }
    this.channelId = this.random(16)
  }

  static async create(
    seed: number,
    channel: { broadcast?: boolean; archived?: boolean; members?: string[] } = {},
  ): Promise<OrgWorld> {
    const provider = await createWebCryptoProvider({ random: chachaRandom(seed, 0x70726f76) })
    const world = new OrgWorld(seed, provider)
    world.append({
      type: 'create-channel',
      channelId: world.channelId,
      name: 'general',
      broadcast: channel.broadcast ?? false,
      archived: channel.archived ?? false,
      // A private channel lists its members' user ids (here the device names).
      private: channel.members !== undefined,
      members: channel.members ? [...channel.members].sort() : undefined,
    })
    return world
  }

  state(): OrgState {
    return reduceOrgLog(this.anchor, this.log)
  }

  append(body: LogEntryBody): LogEntry {
    const entry = appendOrgEntry(this.state(), this.root.secretKey, body, this.now)
    this.log.push(entry)
    return entry
  }

  async addDevice(name: string, roles: Role[] = ['member']): Promise<WorldDevice> {
    const signing = generateSigningKeyPair(this.random)
    const dh = generateDhKeyPair(this.random)
    const deviceId = this.random(16)
    const issued = issueDevice(this.state(), { secretKey: this.root.secretKey, chain: [] }, {
      userId: name,
      displayName: name,
      deviceId,
      signingPublicKey: signing.publicKey,
      identityDhPublicKey: dh.publicKey,
      roles: new Set(roles),
    }, { now: this.now, random: this.random })
    this.log.push(issued.entry)
    const identity = { signing, dh }
    const signedPreKey = await createSignedPreKey(this.provider, identity, 1)
    const device: WorldDevice = {
      name,
      keys: { deviceId, identity, signedPreKey },
      hex: toHex(deviceId),
      clientId: issued.certificate.clientIdRange.start,
      storageKey: this.random(32),
      issued,
    }
    this.devices.set(name, device)
    return device
  }

  /**
   * `name`'s device publishes its signed prekey in the org log (the app does this after
   * enrollment: client/membership/prekey-publication.ts). Returns the entry, if one was needed.
   */
  publishPrekey(name: string): LogEntry | undefined {
    const entry = prekeyPublication(this.state(), this.devices.get(name)!.keys, this.now)
    if (entry) this.log.push(entry)
    return entry
  }

  revoke(name: string): void {
    const d = this.devices.get(name)!
    this.append({ type: 'revoke-device', deviceId: d.keys.deviceId, reason: 'lost' })
  }

  wipe(name: string): void {
    const d = this.devices.get(name)!
    this.append({ type: 'wipe-device', deviceId: d.keys.deviceId, reason: 'stolen' })
  }

  /** Opens `name`'s engine over `raw` (pass the same RawStore again to restart it). */
  open(
    name: string,
    raw: RawStore = memoryRawStore(),
    options: {
      clientId?: number
      rotateEveryMs?: number
      state?: OrgState
      random?: RandomSource
      provider?: CryptoProvider
      stageClock?: () => number
      /** A direct conversation between these devices (names) instead of the org channel. */
      direct?: string[]
    } = {},
  ): Promise<ChannelEngine> {
    const d = this.devices.get(name)!
    const random = options.random ?? this.random
    const provider = options.provider ?? this.provider
    return ChannelEngine.open({
      channelId: this.channelId,
      store: sealedStore(raw, d.storageKey, random, provider.symmetric),
      deviceId: d.keys.deviceId,
      clientId: options.clientId ?? d.clientId,
      now: () => this.now,
      random,
      stageClock: options.stageClock,
      org: {
        provider,
        keys: d.keys,
        orgState: options.state ?? this.state(),
        rotateEveryMs: options.rotateEveryMs,
        direct: options.direct?.map((n) => this.devices.get(n)!.hex),
      },
    })
  }

  /** A blind relay: a device id the org does not know as a member, and no channel keys. */
  openRelay(
    raw: RawStore = memoryRawStore(),
    options: { random?: RandomSource; provider?: CryptoProvider } = {},
  ): Promise<ChannelEngine> {
    const random = options.random ?? this.random
    return ChannelEngine.open({
      channelId: this.channelId,
      store: sealedStore(raw, random(32), random),
      deviceId: random(16),
      clientId: 1,
      now: () => this.now,
      random,
      org: { provider: options.provider ?? this.provider, keys: undefined, orgState: this.state() },
    })
  }
}
