// Stories for the org log's prekey directory: colleagues who were never online together still
// exchange keys, because each device's signed prekey is in the log and a blind relay holds the
// first X3DH message (the sender chain) for the one who is away.
import { describe, expect, it } from 'vitest'
import { toHex } from '../../crypto/codec/bytes.ts'
import { publishPrekeyBody, signPrekey } from '../../crypto/membership/prekey-directory.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import { generateSigningKeyPair } from '../../crypto/primitives/ed25519.ts'
import {
  createPrekeyBundle,
  createSignedPreKey,
  encodePrekeyBundle,
} from '../../crypto/x3dh/prekey-bundle.ts'
import { appendOrgEntry } from '../../crypto/membership/issue-device.ts'
import { PeerBundles } from '../../client/membership/peer-bundles.ts'
import { decodeFrame, FRAME_DIRECT } from '../../client/sync/frames.ts'
import { connect, type InProcessLink, settle } from './in-process-link.ts'
import { OrgWorld } from './org-world.ts'

const texts = (e: { messages(): { text: string }[] }) => e.messages().map((m) => m.text)

/** The DIRECT frames a link carried from its A side to device `to`. */
function directsTo(link: InProcessLink, to: string): number {
  return link.sentByA.map(decodeFrame).filter((f) => f.type === FRAME_DIRECT && toHex(f.to) === to)
    .length
}

/**
 * Ana, online with the relay only, posts and leaves; then Ben, who was never online with either
 * of them before, links to the relay alone. Returns what Ben reads and what Ana's link carried.
 */
async function anaPostsWhileBenIsAway(world: OrgWorld, state?: OrgState) {
  const relay = await world.openRelay()
  const ana = await world.open('ana', undefined, { state })
  const anaAtRelay = connect(ana, relay)
  await settle(ana, relay)
  ana.post('the generator needs diesel')
  await settle(ana, relay)
  anaAtRelay.cut()
  const ben = await world.open('ben')
  connect(ben, relay)
  await settle(ben, relay)
  return { ana, ben, relay, anaAtRelay }
}

describe('prekey directory', () => {
  it('Ana and Ben never met; Ben reads Ana’s message without Ana ever coming back', async () => {
    const world = await OrgWorld.create(71)
    await world.addDevice('ana')
    await world.addDevice('ben')
    // Ben published his signed prekey once, after enrolling; Ana never published hers, and
    // Ben never heard of her: the X3DH responder needs nothing from the initiator in advance.
    expect(world.publishPrekey('ben')).toBeDefined()
    expect(world.publishPrekey('ben')).toBeUndefined() // already listed: nothing to post
    const { ben, relay, anaAtRelay } = await anaPostsWhileBenIsAway(world)
    // Ana's chain for Ben left her as a pairwise frame, held by the relay, which reads nothing.
    expect(directsTo(anaAtRelay, world.devices.get('ben')!.hex)).toBe(1)
    expect(texts(relay)).toEqual([])
    expect(texts(ben)).toEqual(['the generator needs diesel'])
    expect(ben.stats.envelopesRejected).toBe(0)
    expect(ben.stats.directRejected).toBe(0)

    // Ben answers; Ana, back later and linked to the relay alone, reads him (his chain rides
    // the session Ana's first message opened).
    ben.post('on it')
    await settle(ben, relay)
    const anaAgain = await world.open('ana')
    connect(anaAgain, relay)
    await settle(anaAgain, relay, ben)
    expect(texts(anaAgain)).toContain('on it')
  })

  it('without a published prekey, Ana’s message stays unreadable until both are online', async () => {
    const world = await OrgWorld.create(72)
    await world.addDevice('ana')
    await world.addDevice('ben')
    const { ben, anaAtRelay } = await anaPostsWhileBenIsAway(world)
    expect(directsTo(anaAtRelay, world.devices.get('ben')!.hex)).toBe(0)
    expect(texts(ben)).toEqual([])
    expect(ben.stats.parked).toBeGreaterThan(0)
  })

  it('a directory prekey signed by another key is refused by the log; Ana sends Ben nothing', async () => {
    const world = await OrgWorld.create(73)
    await world.addDevice('ana')
    const ben = await world.addDevice('ben')
    const mallory = generateSigningKeyPair(world.random)
    const spk = ben.keys.signedPreKey
    const forged = signPrekey(
      mallory.secretKey,
      ben.keys.identity.dh.publicKey,
      spk.id,
      spk.keyPair.publicKey,
    )
    // Ben's device key signs the entry, but the X3DH signature inside is Mallory's.
    const entry = appendOrgEntry(
      world.state(),
      ben.keys.identity.signing.secretKey,
      publishPrekeyBody(spk.id, spk.keyPair.publicKey, forged),
      world.now,
    )
    world.log.push(entry)
    expect(world.state().rejected.map((r) => r.reason)).toEqual(['bad signed-prekey signature'])
    const { ben: benEngine, anaAtRelay } = await anaPostsWhileBenIsAway(world)
    expect(directsTo(anaAtRelay, ben.hex)).toBe(0)
    expect(texts(benEngine)).toEqual([])
  })

  it('a forged bundle in a tampered org state is refused by the engine; the real one is used once it arrives', async () => {
    const world = await OrgWorld.create(74)
    await world.addDevice('ana')
    const ben = await world.addDevice('ben')
    world.publishPrekey('ben')
    const genuine = world.state()
    // A state whose directory lists an attacker's prekey for Ben (no log produces this: the
    // reducer refuses it; the engine must not trust it either).
    const record = genuine.prekeys.get(ben.hex)!
    const attacker = generateSigningKeyPair(world.random)
    const prekey = world.random(32)
    const tampered: OrgState = {
      ...genuine,
      prekeys: new Map([[ben.hex, {
        ...record,
        entryId: 'f'.repeat(64),
        prekey,
        signature: signPrekey(attacker.secretKey, ben.keys.identity.dh.publicKey, 1, prekey),
      }]]),
    }
    const relay = await world.openRelay()
    const ana = await world.open('ana', undefined, { state: tampered })
    const anaAtRelay = connect(ana, relay)
    ana.post('payroll is late')
    await settle(ana, relay)
    expect(directsTo(anaAtRelay, ben.hex)).toBe(0)
    // The genuine log arrives: Ana hands Ben her chain at once, and Ben reads it later.
    ana.setOrgState(genuine)
    await settle(ana, relay)
    expect(directsTo(anaAtRelay, ben.hex)).toBe(1)
    anaAtRelay.cut()
    const benEngine = await world.open('ben')
    connect(benEngine, relay)
    await settle(benEngine, relay)
    expect(texts(benEngine)).toEqual(['payroll is late'])
  })

  it('a HELLO bundle newer than the directory’s wins; one that contradicts it does not', async () => {
    const world = await OrgWorld.create(75)
    await world.addDevice('ana')
    const ben = await world.addDevice('ben')
    world.publishPrekey('ben') // signed prekey 1 in the directory
    // Ben rotates to signed prekey 2 before the log lists it: a colleague who meets him takes
    // the newer bundle from his HELLO, so his first message opens with the key Ben still holds.
    ben.keys.signedPreKey = await createSignedPreKey(world.provider, ben.keys.identity, 2)
    const ana = await world.open('ana')
    const benEngine = await world.open('ben')
    connect(ana, benEngine)
    await settle(ana, benEngine)
    ana.post('new phone?')
    await settle(ana, benEngine)
    expect(texts(benEngine)).toEqual(['new phone?'])

    // The directory still says 1; a bundle under id 1 with another key contradicts it: refused.
    const state = world.state()
    const bundles = new PeerBundles(world.provider)
    const other = await createSignedPreKey(world.provider, ben.keys.identity, 1)
    const contradicting = encodePrekeyBundle({
      identity: {
        signingKey: ben.keys.identity.signing.publicKey,
        dhKey: ben.keys.identity.dh.publicKey,
      },
      signedPreKeyId: 1,
      signedPreKey: other.keyPair.publicKey,
      signedPreKeySignature: other.signature,
      oneTimePreKey: undefined,
    })
    expect(bundles.candidate(state, ben.hex, contradicting)).toBeUndefined()
    expect((await bundles.bundleFor(state, ben.hex))?.signedPreKeyId).toBe(1)
    const heard = encodePrekeyBundle(createPrekeyBundle(ben.keys.identity, ben.keys.signedPreKey))
    const newer = bundles.candidate(state, ben.hex, heard)!
    expect(
      await bundles.learn(ben.hex, {
        signingKey: ben.keys.identity.signing.publicKey,
        dhKey: ben.keys.identity.dh.publicKey,
      }, newer),
    ).toBe(true)
    expect((await bundles.bundleFor(state, ben.hex))?.signedPreKeyId).toBe(2)
  })
})
