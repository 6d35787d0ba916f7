// Test org for transport and mailbox stories: a seeded root issuing devices through the public
// membership API, serializable so child processes (peers, the headless peer) share its bytes.

import { chacha20 } from '@noble/ciphers/chacha.js'
import { base64url, fromBase64url, toHex } from '../../../../crypto/codec/bytes.ts'
import {
  appendOrgEntry,
  encodeLogBundle,
  issueDevice,
  type LogEntry,
  type OrgAnchor,
  type OrgState,
  reduceOrgLog,
  type Role,
} from '../../../../crypto/membership/index.ts'
import {
  generateSigningKeyPair,
  type SigningKeyPair,
} from '../../../../crypto/primitives/ed25519.ts'
import { generateDhKeyPair } from '../../../../crypto/primitives/x25519.ts'
import type { RandomSource } from '../../../../crypto/primitives/random.ts'

export function seededRandom(seed: number, stream = 0x7472616e): RandomSource {
  const key = new Uint8Array(32)
  new DataView(key.buffer).setUint32(0, seed >>> 0)
  new DataView(key.buffer).setUint32(4, stream) // 'tran': distinct from other suites' streams
  let counter = 0
  return (n) => {
    const nonce = new Uint8Array(12)
    new DataView(nonce.buffer).setUint32(0, counter++)
    return chacha20(key, nonce, new Uint8Array(n))
  }
}

/** What a device (or the headless peer) needs to authenticate links: JSON-safe. */
export interface DeviceSecrets {
  userId: string
  deviceId: string
  credential: string
  signingSecretKey: string
  dhSecretKey: string
  /** First Yjs client id of the device's certificate range. */
  clientId: number
}

export interface TestDevice {
  userId: string
  deviceId: Uint8Array
  signing: SigningKeyPair
  credential: Uint8Array
  secrets: DeviceSecrets
}

export class TestOrg {
  readonly random: RandomSource
  readonly root: SigningKeyPair
  readonly anchor: OrgAnchor
  log: LogEntry[] = []
  now = Date.now()

  constructor(seed = 1) {
    this.random = seededRandom(seed)
    this.root = generateSigningKeyPair(this.random)
    this.anchor = { orgId: this.random(16), rootPublicKey: this.root.publicKey }
  }

  state(): OrgState {
    return reduceOrgLog(this.anchor, this.log)
  }

  bundle(): Uint8Array {
    return encodeLogBundle(this.log)
  }

  /** The root issues a device for `userId` with `roles` (default member). */
  issue(userId: string, roles: Role[] = ['member']): TestDevice {
    const signing = generateSigningKeyPair(this.random)
    const dh = generateDhKeyPair(this.random)
    const deviceId = this.random(16)
    const issued = issueDevice(this.state(), { secretKey: this.root.secretKey, chain: [] }, {
      userId,
      displayName: userId,
      deviceId,
      signingPublicKey: signing.publicKey,
      identityDhPublicKey: dh.publicKey,
      roles: new Set(roles),
    }, { now: this.now, random: this.random })
    this.log.push(issued.entry)
    return {
      userId,
      deviceId,
      signing,
      credential: issued.credentialBytes,
      secrets: {
        userId,
        deviceId: toHex(deviceId),
        credential: base64url(issued.credentialBytes),
        signingSecretKey: base64url(signing.secretKey),
        dhSecretKey: base64url(dh.secretKey),
        clientId: issued.certificate.clientIdRange.start,
      },
    }
  }

  /** Records a channel in the org log (org-mode engines admit only channels the log created). */
  createChannel(channelId: Uint8Array, name = 'general'): void {
    this.log.push(appendOrgEntry(this.state(), this.root.secretKey, {
      type: 'create-channel',
      channelId,
      name,
      broadcast: false,
      archived: false,
    }, this.now))
  }

  /** Records a private channel that only `members` (user ids) read. */
  createPrivateChannel(channelId: Uint8Array, members: string[], name = 'private'): void {
    this.log.push(appendOrgEntry(this.state(), this.root.secretKey, {
      type: 'create-channel',
      channelId,
      name,
      broadcast: false,
      archived: false,
      private: true,
      members,
    }, this.now))
  }

  /** Changes a private channel's member list. */
  changeMembers(channelId: Uint8Array, add: string[], remove: string[]): void {
    this.log.push(appendOrgEntry(this.state(), this.root.secretKey, {
      type: 'channel-members',
      channelId,
      add,
      remove,
    }, this.now))
  }

  revoke(device: TestDevice): void {
    this.log.push(appendOrgEntry(this.state(), this.root.secretKey, {
      type: 'revoke-device',
      deviceId: device.deviceId,
      reason: 'lost phone',
    }, this.now))
  }
}

export function secretsToKeys(
  s: DeviceSecrets,
): { credential: Uint8Array; signingSecretKey: Uint8Array } {
  return {
    credential: fromBase64url(s.credential),
    signingSecretKey: fromBase64url(s.signingSecretKey),
  }
}
