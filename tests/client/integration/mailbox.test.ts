// Stories for the always-on peer (client/headless/main.ts in its own process) as a blind
// mailbox over libp2p WebSockets: it holds ciphertext for devices that are away, serves it to
// them later, cannot read it, and refuses what no member device signed.
import { afterEach, describe, expect, it } from 'vitest'
import { utf8 } from '../../../crypto/codec/bytes.ts'
import { startHeadlessProcess } from './support/headless-process.ts'
import { startSignalingProcess } from './support/signaling-process.ts'
import { EnvelopeHolder } from './support/envelope-holder.ts'
import { libp2pDevice, libp2pNode } from './support/libp2p-device.ts'
import { deviceConfig, openOrgDevice } from './support/org-device.ts'
import { formatOrgAnchor } from '../../../crypto/membership/org-anchor.ts'
import { authorChain, CHANNEL_ID } from './support/signed-envelope.ts'
import { TestOrg } from './support/test-org.ts'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

/** Resolves when `predicate` holds, checking every 50 ms (the test's own timeout bounds it). */
async function until(predicate: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await predicate())) await new Promise((r) => setTimeout(r, 50))
}

function includes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

/**
 * Alice links to the always-on peer, posts `texts` and leaves once it acknowledged them all
 * (acknowledged means journaled). Returns her device id in hex.
 */
async function leaveAtMailbox(
  org: TestOrg,
  aliceDevice: ReturnType<TestOrg['issue']>,
  address: string,
  texts: string[],
): Promise<string> {
  const alice = new EnvelopeHolder(aliceDevice.deviceId)
  const aliceNode = await libp2pDevice(org, aliceDevice, alice.events)
  await aliceNode.links.dial(address)
  await alice.until(() => alice.links.size === 1)
  const next = authorChain(aliceDevice)
  for (const t of texts) alice.post(await next(t))
  const aliceHex = Buffer.from(aliceDevice.deviceId).toString('hex')
  await alice.until(() => alice.haves.some((h) => h.have.get(aliceHex) === texts.length))
  await aliceNode.stop()
  return aliceHex
}

describe('the always-on peer as a blind mailbox', () => {
  it('Bob, offline while Alice posted and left, reads her messages from the mailbox', async () => {
    // Alice and Bob never meet: Bob's prekey bundle, Alice's sender chain (a pairwise DIRECT
    // frame) and her envelopes all wait in the always-on peer, which can read none of them.
    const org = new TestOrg(21)
    org.createChannel(CHANNEL_ID)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const bobDevice = org.issue('bob')
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())
    const shared = { anchor: formatOrgAnchor(org.anchor), bundle: org.bundle() }

    // Bob is online once (his HELLO leaves his bundle with the mailbox), then goes away.
    const bob = await openOrgDevice(deviceConfig(shared, CHANNEL_ID, bobDevice.secrets))
    let bobNode = await libp2pNode(bob.auth.events)
    await bobNode.links.dial(headless.address)
    await until(async () => (await headless.metrics()).links.links === 1)
    await bobNode.stop()
    await until(async () => (await headless.metrics()).links.links === 0)

    // Alice comes, posts three messages, sees them relayed, and leaves.
    const alice = await openOrgDevice(deviceConfig(shared, CHANNEL_ID, aliceDevice.secrets))
    const aliceNode = await libp2pNode(alice.auth.events)
    await aliceNode.links.dial(headless.address)
    // Posted once the link is authenticated, so the envelopes leave at once ("sent").
    await until(() => alice.auth.links().length === 1)
    const texts = ['shift starts at 7', 'bring the keys', 'vault audit on friday']
    for (const t of texts) alice.engine.post(t)
    await until(() => alice.engine.messages().every((m) => m.delivery === 'relayed'))
    await until(async () => (await headless.metrics()).mailbox.directHeld >= 1)
    await aliceNode.stop()

    const held = await headless.metrics()
    expect(held.mailbox.envelopesHeld).toBe(3)
    expect(held.links.rejected).toEqual({})

    // Bob returns after Alice is gone: the mailbox alone brings him her chain and her messages.
    bobNode = await libp2pNode(bob.auth.events)
    cleanup.push(() => bobNode.stop())
    await bobNode.links.dial(headless.address)
    await until(() => bob.texts().length === 3)
    expect(bob.texts()).toEqual(texts)
    expect(bob.engine.stats.envelopesRejected).toBe(0)
    expect(bob.auth.links().map((l) => l.identity.roles.has('relay'))).toEqual([true])
  }, 60_000)

  it('holds only ciphertext: the bytes it serves never contain the plaintext', async () => {
    const org = new TestOrg(24)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const bobDevice = org.issue('bob')
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())
    const texts = ['the safe code is 4471', 'patient in bed 12']
    const aliceHex = await leaveAtMailbox(org, aliceDevice, headless.address, texts)

    const bob = new EnvelopeHolder(bobDevice.deviceId)
    const bobNode = await libp2pDevice(org, bobDevice, bob.events)
    cleanup.push(() => bobNode.stop())
    await bobNode.links.dial(headless.address)
    await bob.until(() => bob.count() === 2)
    for (const envelope of bob.held.get(aliceHex)!.values()) {
      for (const t of texts) expect(includes(envelope, utf8(t))).toBe(false)
    }
    expect(await bob.texts()).toEqual(texts)
  }, 60_000)

  it('keeps what it holds across a restart (journal), and still serves it', async () => {
    const org = new TestOrg(26)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const bobDevice = org.issue('bob')
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())
    const texts = ['before the power cut', 'and one more']
    // Acknowledged means journaled: the HAVE is sent only after the write is synced.
    await leaveAtMailbox(org, aliceDevice, headless.address, texts)

    await headless.restart()
    expect((await headless.metrics()).mailbox.envelopesHeld).toBe(2)
    const bob = new EnvelopeHolder(bobDevice.deviceId)
    const bobNode = await libp2pDevice(org, bobDevice, bob.events)
    cleanup.push(() => bobNode.stop())
    await bobNode.links.dial(headless.address)
    await bob.until(() => bob.count() === 2)
    expect(await bob.texts()).toEqual(texts)
  }, 60_000)

  it('refuses envelopes that are forged, from a revoked device, or not signed at all', async () => {
    const org = new TestOrg(22)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const malloryDevice = org.issue('mallory')
    const mallorysChain = authorChain(malloryDevice)
    const beforeRevocation = await mallorysChain('signed before her revocation')
    org.revoke(malloryDevice)
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())

    const alice = new EnvelopeHolder(aliceDevice.deviceId)
    const aliceNode = await libp2pDevice(org, aliceDevice, alice.events)
    cleanup.push(() => aliceNode.stop())
    await aliceNode.links.dial(headless.address)
    await alice.until(() => alice.links.size === 1)
    const next = authorChain(aliceDevice)
    const forged = await next('forged', (signed) => signed[signed.length - 1] ^= 1)
    const unsigned = (await next('unsigned')).slice()
    unsigned.fill(0, unsigned.length - 64)
    const link = [...alice.links][0]
    // A malicious member pushes bad envelopes directly, bypassing its own checks.
    const { encodeFrame, FRAME_ENVELOPES } = await import('../../../client/sync/frames.ts')
    link.send(
      encodeFrame({ type: FRAME_ENVELOPES, envelopes: [forged, unsigned, beforeRevocation] }),
    )
    alice.post(await authorChain(aliceDevice)('an honest one'))
    const aliceHex = Buffer.from(aliceDevice.deviceId).toString('hex')
    await alice.until(() => alice.haves.some((h) => h.have.get(aliceHex) === 1))
    const m = await headless.metrics()
    expect(m.mailbox.envelopesHeld).toBe(1)
    expect(m.links.rejected).toEqual({ 'bad-signature': 2, 'revoked-author': 1 })
  }, 60_000)

  it('refuses links from a revoked device, and drops one revoked while connected', async () => {
    const org = new TestOrg(23)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const headless = await startHeadlessProcess(org, relayDevice, { refreshMs: 200 })
    cleanup.push(() => headless.stop())
    const alice = new EnvelopeHolder(aliceDevice.deviceId)
    const aliceNode = await libp2pDevice(org, aliceDevice, alice.events)
    cleanup.push(() => aliceNode.stop())
    await aliceNode.links.dial(headless.address)
    await alice.until(() => alice.links.size === 1)

    org.revoke(aliceDevice)
    headless.publishLog()
    await alice.until(() => alice.links.size === 0)
    expect((await headless.metrics()).linkAuth.dropped).toBe(1)

    await aliceNode.links.dial(headless.address).catch(() => {})
    await expect.poll(async () => (await headless.metrics()).linkAuth.rejected).toEqual({
      'membership/revoked': 1,
    })
    await alice.until(() => alice.links.size === 0)
    expect((await headless.metrics()).links.links).toBe(0)
  }, 60_000)
})

describe('the always-on peer and the signaling worker', () => {
  /** Alice links to the always-on peer; an admin posts her revocation to the worker. */
  async function revokedWhileLinked(seed: number, refreshMs: number) {
    const org = new TestOrg(seed)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const signaling = await startSignalingProcess(org)
    cleanup.push(() => signaling.stop())
    const headless = await startHeadlessProcess(org, relayDevice, {
      orgLogUrl: signaling.url,
      refreshMs,
    })
    cleanup.push(() => headless.stop())
    const alice = new EnvelopeHolder(aliceDevice.deviceId)
    const aliceNode = await libp2pDevice(org, aliceDevice, alice.events)
    cleanup.push(() => aliceNode.stop())
    await aliceNode.links.dial(headless.address)
    await alice.until(() => alice.links.size === 1)

    org.revoke(aliceDevice)
    const res = await fetch(`${signaling.url}/org/log`, {
      method: 'POST',
      body: org.bundle().slice(),
    })
    expect(res.ok).toBe(true)
    await alice.until(() => alice.links.size === 0)
    expect((await headless.metrics()).linkAuth.dropped).toBe(1)
  }

  it(
    'follows the org log the worker serves: a revocation posted there drops the device',
    () => revokedWhileLinked(25, 200),
    60_000,
  )

  it(
    'hears the worker push a revocation: the device is dropped long before the next reload',
    // The periodic reload is an hour away: only the worker's push can tell the peer in time.
    () => revokedWhileLinked(26, 3_600_000),
    60_000,
  )
})
