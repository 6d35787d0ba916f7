// Stories for direct conversations: a DM is read by exactly its two devices. Its Sender Keys
// travel over the pair's Double Ratchet session, so a third member on the same links — even an
// admin, even one handed every frame — reads nothing and writes nothing, and nobody moderates.
import { describe, expect, it } from 'vitest'
import { connect, settle } from './in-process-link.ts'
import { OrgWorld } from './org-world.ts'

const texts = (e: { messages(): { text: string }[] }) => e.messages().map((m) => m.text)
const pair = ['ana', 'ben']

describe('direct conversation', () => {
  it('the two devices read each other; a colleague relaying every frame reads nothing', async () => {
    const world = await OrgWorld.create(41)
    for (const n of ['ana', 'ben', 'cleo']) await world.addDevice(n)
    const ana = await world.open('ana', undefined, { direct: pair })
    const ben = await world.open('ben', undefined, { direct: pair })
    // Cleo is an org member who somehow joined the DM's topic (say, she guessed it): she links
    // to both, so every envelope reaches her too.
    const cleo = await world.open('cleo', undefined, { direct: pair })
    connect(ana, ben)
    connect(ana, cleo)
    connect(cleo, ben)
    await settle(ana, ben, cleo)
    ana.post('just between us')
    await settle(ana, ben, cleo)
    expect(texts(ben)).toEqual(['just between us'])
    // Cleo holds the ciphertext but was never given Ana's chain: not even a key request works.
    expect(texts(cleo)).toEqual([])
    expect(cleo.stats.envelopesAccepted).toBe(0)
    cleo.post('let me in')
    await settle(ana, ben, cleo)
    expect(texts(ana)).toEqual(['just between us'])
    expect(ana.stats.rejectedByReason['not-member'] ?? 0).toBeGreaterThan(0)
  })

  it('an admin in a DM cannot delete the other side’s messages', async () => {
    const world = await OrgWorld.create(42)
    await world.addDevice('ana', ['member', 'admin'])
    await world.addDevice('ben')
    const ana = await world.open('ana', undefined, { direct: pair })
    const ben = await world.open('ben', undefined, { direct: pair })
    connect(ana, ben)
    const id = ben.post('my words')
    await settle(ana, ben)
    // The app refuses outright; a modified client that writes the deletion anyway is refused by
    // the receiver's validator.
    expect(() => ana.remove(id)).toThrow(/not your message/)
    ana.doc.getMap('messages').delete(id)
    await settle(ana, ben)
    expect(ben.messages().map((m) => m.text)).toEqual(['my words'])
    expect(ben.stats.rejectedByReason['foreign-delete']).toBe(1)
  })

  it('when one device is revoked the DM closes to it: later messages are not readable by it', async () => {
    const world = await OrgWorld.create(43)
    for (const n of ['ana', 'ben']) await world.addDevice(n)
    const ana = await world.open('ana', undefined, { direct: pair })
    const ben = await world.open('ben', undefined, { direct: pair })
    const link = connect(ana, ben)
    ana.post('before')
    await settle(ana, ben)
    world.revoke('ben')
    ana.setOrgState(world.state())
    ana.post('after')
    await settle(ana, ben)
    expect(texts(ben)).toEqual(['before'])
    link.cut()
  })
})
