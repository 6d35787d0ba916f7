// Stories for who the always-on peer's mailbox (client/headless/main.ts, its own process) hands
// pairwise frames and key requests to: a DIRECT frame only to the one device it names, a key
// request for a private channel only to devices that read that channel.
import { afterEach, describe, expect, it } from 'vitest'
import { toHex } from '../../../crypto/codec/bytes.ts'
import {
  decodeFrame,
  encodeFrame,
  FRAME_BUNDLE,
  FRAME_DIRECT,
  FRAME_HELLO,
  FRAME_KEY_REQUEST,
  type SyncFrame,
} from '../../../client/sync/frames.ts'
import type { LinkEvents, PeerLink } from '../../../client/transport/peer-link.ts'
import { type HeadlessProcess, startHeadlessProcess } from './support/headless-process.ts'
import { libp2pDevice } from './support/libp2p-device.ts'
import { type TestDevice, TestOrg } from './support/test-org.ts'

const VAULT_ID = new Uint8Array(16).fill(0x61)

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

/** Every sync frame a device's authenticated links delivered, decoded, in arrival order. */
class FrameLog {
  readonly frames: SyncFrame[] = []
  readonly links = new Set<PeerLink>()
  readonly events: LinkEvents = {
    up: (l) => this.links.add(l),
    down: (l) => this.links.delete(l),
    frame: (_l, b) => this.frames.push(decodeFrame(b)),
  }

  send(frame: SyncFrame): void {
    for (const l of this.links) l.send(encodeFrame(frame))
  }

  of<T extends SyncFrame['type']>(type: T): Extract<SyncFrame, { type: T }>[] {
    return this.frames.filter((f): f is Extract<SyncFrame, { type: T }> => f.type === type)
  }
}

async function until(predicate: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await predicate())) await new Promise((r) => setTimeout(r, 50))
}

/**
 * A frame from `from` that the mailbox passes on to `to` (a new prekey bundle): once it arrived,
 * whatever the mailbox sent `to` before it has arrived too (one ordered stream).
 */
let bundles = 0
async function barrier(from: Online, fromDevice: TestDevice, to: Online): Promise<void> {
  const bundle = new Uint8Array(32).fill(++bundles)
  from.log.send({ type: FRAME_HELLO, device: fromDevice.deviceId, bundle })
  await until(() =>
    to.log.of(FRAME_BUNDLE).some((f) => f.bundle.length === 32 && f.bundle[0] === bundles)
  )
}

type Online = Awaited<ReturnType<typeof online>>

async function online(org: TestOrg, headless: HeadlessProcess, device: TestDevice) {
  const log = new FrameLog()
  const node = await libp2pDevice(org, device, log.events)
  cleanup.push(() => node.stop())
  await node.links.dial(headless.address)
  await until(() => log.links.size === 1)
  return { log, node }
}

describe('the mailbox hands pairwise frames and key requests only to their readers', () => {
  it('a DIRECT frame waits for the one device it names, and no other gets it', async () => {
    const org = new TestOrg(51)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const bobDevice = org.issue('bob')
    const carolDevice = org.issue('carol')
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())

    // Bob leaves Alice (offline) a pairwise frame: a first X3DH message, say.
    const bob = await online(org, headless, bobDevice)
    const payload = new Uint8Array(64).fill(0xab)
    bob.log.send({
      type: FRAME_DIRECT,
      to: aliceDevice.deviceId,
      from: bobDevice.deviceId,
      hops: 4,
      payload,
    })
    await until(async () => (await headless.metrics()).mailbox.directHeld === 1)

    // Carol comes online: the frame is not hers.
    const carol = await online(org, headless, carolDevice)
    await barrier(bob, bobDevice, carol)
    expect(carol.log.of(FRAME_DIRECT)).toEqual([])
    expect((await headless.metrics()).mailbox.directHeld).toBe(1)
    // Alice comes online and gets it, once.
    const alice = await online(org, headless, aliceDevice)
    await until(() => alice.log.of(FRAME_DIRECT).length === 1)
    expect(alice.log.of(FRAME_DIRECT)[0].payload).toEqual(payload)
    expect((await headless.metrics()).mailbox.directHeld).toBe(0)
    expect(carol.log.of(FRAME_DIRECT)).toEqual([])
  }, 60_000)

  it('a key request for a private channel reaches its readers only', async () => {
    const org = new TestOrg(52)
    const relayDevice = org.issue('always-on', ['relay'])
    const aliceDevice = org.issue('alice')
    const bobDevice = org.issue('bob')
    const carolDevice = org.issue('carol')
    org.createPrivateChannel(VAULT_ID, ['alice', 'bob'], 'vault')
    const headless = await startHeadlessProcess(org, relayDevice)
    cleanup.push(() => headless.stop())
    const alice = await online(org, headless, aliceDevice)
    const bob = await online(org, headless, bobDevice)
    const carol = await online(org, headless, carolDevice)

    const request = (requester: TestDevice, nonce: number): SyncFrame => ({
      type: FRAME_KEY_REQUEST,
      channelId: VAULT_ID,
      author: aliceDevice.deviceId,
      epoch: 0,
      requester: requester.deviceId,
      nonce: new Uint8Array(8).fill(nonce),
      freshSession: false,
      bundle: new Uint8Array(0),
    })
    // Carol, outside the vault, asks for Alice's chain: the mailbox drops it.
    carol.log.send(request(carolDevice, 1))
    await until(async () => (await headless.metrics()).links.refused === 1)
    // Bob asks: Alice (a reader) gets it; Carol does not.
    bob.log.send(request(bobDevice, 2))
    await until(() => alice.log.of(FRAME_KEY_REQUEST).length === 1)
    expect(toHex(alice.log.of(FRAME_KEY_REQUEST)[0].requester)).toBe(toHex(bobDevice.deviceId))
    await barrier(bob, bobDevice, carol)
    expect(carol.log.of(FRAME_KEY_REQUEST)).toEqual([])
    expect(bob.log.of(FRAME_KEY_REQUEST)).toEqual([])
  }, 60_000)
})
