// Acceptance story through the real parts: the Deno signaling worker (org log over HTTP), the
// always-on peer (client/headless in its own process, a blind mailbox over libp2p WebSockets)
// and two devices that are never online at the same time and never met before.
import { afterEach, describe, expect, it } from 'vitest'
import { base64url, fromBase64url, fromHex, toHex } from '../../../crypto/codec/bytes.ts'
import { appendOrgEntry } from '../../../crypto/membership/issue-device.ts'
import { encodeLogBundle } from '../../../crypto/membership/log-bundle.ts'
import { formatOrgAnchor } from '../../../crypto/membership/org-anchor.ts'
import { publishPrekeyBody, signPrekey } from '../../../crypto/membership/prekey-directory.ts'
import { signingPublicKey } from '../../../crypto/primitives/ed25519.ts'
import { x25519 } from '@noble/curves/ed25519.js'
import { defaultProvider } from '../../../crypto/provider/default-provider.ts'
import { createSignedPreKey } from '../../../crypto/x3dh/prekey-bundle.ts'
import { OrgReplica } from '../../../client/membership/org-replica.ts'
import { postOrgLog, startPrekeyPublisher } from '../../../client/membership/prekey-publisher.ts'
import { startHeadlessProcess } from './support/headless-process.ts'
import { libp2pNode } from './support/libp2p-device.ts'
import { deviceConfig, openOrgDevice } from './support/org-device.ts'
import { CHANNEL_ID } from './support/signed-envelope.ts'
import { startSignalingProcess } from './support/signaling-process.ts'
import { type DeviceSecrets, TestOrg } from './support/test-org.ts'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

async function until(predicate: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await predicate())) await new Promise((r) => setTimeout(r, 50))
}

/** The worker's whole org log, as a device fetches it. */
async function fetchLog(url: string): Promise<Uint8Array> {
  const res = await fetch(`${url}/org/log`)
  expect(res.ok).toBe(true)
  return new Uint8Array(await res.arrayBuffer())
}

/** A device's identity and a fresh signed prekey, from its JSON secrets. */
async function deviceKeys(s: DeviceSecrets) {
  const signing = fromBase64url(s.signingSecretKey)
  const dh = fromBase64url(s.dhSecretKey)
  const identity = {
    signing: { secretKey: signing, publicKey: signingPublicKey(signing) },
    dh: { secretKey: dh, publicKey: x25519.getPublicKey(dh) },
  }
  const signedPreKey = await createSignedPreKey(await defaultProvider(), identity, 1)
  return { deviceId: fromHex(s.deviceId), identity, signedPreKey }
}

describe('the prekey directory through the worker and the always-on peer', () => {
  it(
    'Ben publishes his prekey and goes; Ana posts and goes; Ben, back, reads her from the mailbox',
    async () => {
      const org = new TestOrg(81)
      org.createChannel(CHANNEL_ID)
      const relayDevice = org.issue('always-on', ['relay'])
      const anaDevice = org.issue('ana')
      const benDevice = org.issue('ben')
      const signaling = await startSignalingProcess(org)
      cleanup.push(() => signaling.stop())
      const anchor = formatOrgAnchor(org.anchor)

      // Ben enrolls, unlocks, and his app posts his signed prekey to the worker's org log, then he
      // loses coverage. He never links to anyone.
      const benKeys = await deviceKeys(benDevice.secrets)
      const benReplica = new OrgReplica(org.anchor)
      benReplica.applyBundle(await fetchLog(signaling.url))
      const outcomes: string[] = []
      const publisher = startPrekeyPublisher({
        org: benReplica,
        keys: () => Promise.resolve(benKeys),
        post: postOrgLog(signaling.url),
        accepted: (bundle) => benReplica.applyBundle(bundle),
        now: () => Date.now(),
      })
      cleanup.push(() => Promise.resolve(publisher.stop()))
      await until(() => benReplica.state.prekeys.has(benDevice.secrets.deviceId))
      outcomes.push(await publisher.check())
      expect(outcomes).toEqual(['listed']) // posted once; nothing more to do
      publisher.stop()
      // A newer prekey for Ben whose X3DH signature is not his never gets in: the worker refuses.
      const key = new Uint8Array(32).fill(7)
      const anaSigning = fromBase64url(anaDevice.secrets.signingSecretKey)
      const forged = appendOrgEntry(
        benReplica.state,
        benKeys.identity.signing.secretKey,
        publishPrekeyBody(2, key, signPrekey(anaSigning, benKeys.identity.dh.publicKey, 2, key)),
        Date.now(),
      )
      const refused = await fetch(`${signaling.url}/org/log`, {
        method: 'POST',
        body: encodeLogBundle([forged]) as Uint8Array<ArrayBuffer>,
      })
      expect(refused.status).toBe(422)

      // The always-on peer follows the worker's log; Ana's app fetched it too (Ben's prekey in it).
      const headless = await startHeadlessProcess(org, relayDevice, { orgLogUrl: signaling.url })
      cleanup.push(() => headless.stop())
      const log = await fetchLog(signaling.url)
      const ana = await openOrgDevice(
        deviceConfig({ anchor, bundle: log }, CHANNEL_ID, anaDevice.secrets),
      )
      const anaNode = await libp2pNode(ana.auth.events)
      await anaNode.links.dial(headless.address)
      await until(() => ana.auth.links().length === 1)
      const texts = ['road to the clinic is flooded', 'take the north bridge']
      for (const t of texts) ana.engine.post(t)
      await until(() => ana.engine.messages().every((m) => m.delivery === 'relayed'))
      // Her sender chain for Ben: a first X3DH message, held for him by the blind mailbox.
      await until(async () => (await headless.metrics()).mailbox.directHeld >= 1)
      await anaNode.stop()

      // Ben comes back for the first time, links to the always-on peer alone, and reads Ana.
      const ben = await openOrgDevice({
        ...deviceConfig({ anchor, bundle: log }, CHANNEL_ID, benDevice.secrets),
        signedPreKey: {
          id: benKeys.signedPreKey.id,
          secretKey: base64url(benKeys.signedPreKey.keyPair.secretKey),
          signature: base64url(benKeys.signedPreKey.signature),
        },
      })
      const benNode = await libp2pNode(ben.auth.events)
      cleanup.push(() => benNode.stop())
      await benNode.links.dial(headless.address)
      await until(() => ben.texts().length === texts.length)
      expect(ben.texts()).toEqual(texts)
      expect(ben.engine.stats.envelopesRejected).toBe(0)
      expect(toHex(benKeys.deviceId)).toBe(benDevice.secrets.deviceId)
    },
    90_000,
  )
})
