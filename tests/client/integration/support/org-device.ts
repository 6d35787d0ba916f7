// A member device as the app runs it, reduced to what transport stories need: an org-mode
// channel engine (Sender Keys, signed envelopes) behind link authentication. Built only from
// JSON-safe config, so the same code runs in the test process, in a child Node process and in
// a Chromium page (bundled by support/browser-bundle.ts); no Node built-ins in here.

import { base64url, fromBase64url, fromHex } from '../../../../crypto/codec/bytes.ts'
import { decodeLogBundle } from '../../../../crypto/membership/log-bundle.ts'
import { parseOrgAnchor } from '../../../../crypto/membership/org-anchor.ts'
import { reduceOrgLog } from '../../../../crypto/membership/reduce-org-log.ts'
import { signingPublicKey } from '../../../../crypto/primitives/ed25519.ts'
import { secureRandom } from '../../../../crypto/primitives/random.ts'
import { x25519 } from '@noble/curves/ed25519.js'
import { defaultProvider } from '../../../../crypto/provider/default-provider.ts'
import { createSignedPreKey, type SignedPreKey } from '../../../../crypto/x3dh/prekey-bundle.ts'
import { ChannelEngine } from '../../../../client/engine/channel-engine.ts'
import { memoryRawStore } from '../../../../client/storage/memory-raw-store.ts'
import { sealedStore } from '../../../../client/storage/sealed-store.ts'
import {
  authenticateLinks,
  type LinkAuthenticator,
} from '../../../../client/transport/link-auth.ts'
import type { DeviceSecrets } from './test-org.ts'

/** Everything a device process needs, as JSON. */
export interface OrgDeviceConfig {
  anchor: string
  /** base64url org log bundle. */
  log: string
  channelId: string
  secrets: DeviceSecrets
  /** The signed prekey the device already published in the org log; fresh (id 1) if absent. */
  signedPreKey?: { id: number; secretKey: string; signature: string }
}

export interface OrgDevice {
  engine: ChannelEngine
  auth: LinkAuthenticator
  texts(): string[]
}

export async function openOrgDevice(config: OrgDeviceConfig): Promise<OrgDevice> {
  const anchor = parseOrgAnchor(config.anchor)
  const orgState = reduceOrgLog(anchor, decodeLogBundle(fromBase64url(config.log)))
  const provider = await defaultProvider()
  const s = config.secrets
  const signingSecret = fromBase64url(s.signingSecretKey)
  const dhSecret = fromBase64url(s.dhSecretKey)
  const identity = {
    signing: { secretKey: signingSecret, publicKey: signingPublicKey(signingSecret) },
    dh: { secretKey: dhSecret, publicKey: x25519.getPublicKey(dhSecret) },
  }
  const deviceId = fromHex(s.deviceId)
  const engine = await ChannelEngine.open({
    channelId: fromHex(config.channelId),
    store: sealedStore(memoryRawStore(), secureRandom(32)),
    deviceId,
    clientId: s.clientId,
    now: () => Date.now(),
    random: secureRandom,
    org: {
      provider,
      keys: {
        deviceId,
        identity,
        signedPreKey: config.signedPreKey
          ? restoreSignedPreKey(config.signedPreKey)
          : await createSignedPreKey(provider, identity, 1),
      },
      orgState,
    },
  })
  const auth = authenticateLinks({
    up: (l) => engine.linkUp(l),
    down: (l) => engine.linkDown(l),
    frame: (l, b) => engine.receive(l, b),
  }, {
    anchor,
    orgState: () => orgState,
    credential: fromBase64url(s.credential),
    signingSecretKey: signingSecret,
    now: () => Date.now(),
    random: secureRandom,
  })
  return { engine, auth, texts: () => engine.messages().map((m) => m.text) }
}

function restoreSignedPreKey(
  s: { id: number; secretKey: string; signature: string },
): SignedPreKey {
  const secretKey = fromBase64url(s.secretKey)
  return {
    id: s.id,
    keyPair: { secretKey, publicKey: x25519.getPublicKey(secretKey) },
    signature: fromBase64url(s.signature),
  }
}

export function deviceConfig(
  org: { anchor: string; bundle: Uint8Array },
  channelId: Uint8Array,
  secrets: DeviceSecrets,
): OrgDeviceConfig {
  return {
    anchor: org.anchor,
    log: base64url(org.bundle),
    channelId: [...channelId].map((b) => b.toString(16).padStart(2, '0')).join(''),
    secrets,
  }
}
