// Stories for private org channels: only the users the org log lists read them. A colleague who
// is not listed — linked on the same topic, handed every frame — reads nothing and writes
// nothing; a member removed by the admin reads nothing written after, and one added reads on.
import { describe, expect, it } from 'vitest'
import { connect, settle } from './in-process-link.ts'
import { OrgWorld } from './org-world.ts'

const texts = (e: { messages(): { text: string }[] }) => e.messages().map((m) => m.text)

describe('private channel', () => {
  it('members read each other; a colleague on the same links reads and writes nothing', async () => {
    const world = await OrgWorld.create(51, { members: ['ana', 'ben'] })
    for (const n of ['ana', 'ben', 'cleo']) await world.addDevice(n)
    const [ana, ben, cleo] = await Promise.all(['ana', 'ben', 'cleo'].map((n) => world.open(n)))
    connect(ana, ben)
    connect(ana, cleo)
    connect(cleo, ben)
    ana.post('board minutes')
    await settle(ana, ben, cleo)
    expect(texts(ben)).toEqual(['board minutes'])
    expect(texts(cleo)).toEqual([])
    expect(cleo.stats.envelopesAccepted).toBe(0)
    cleo.post('let me in')
    await settle(ana, ben, cleo)
    expect(texts(ana)).toEqual(['board minutes'])
    expect(ana.stats.rejectedByReason['not-member']).toBeGreaterThan(0)
  })

  it('a removed member reads nothing after; an added one reads from then on', async () => {
    const world = await OrgWorld.create(52, { members: ['ana', 'ben'] })
    for (const n of ['ana', 'ben', 'cleo']) await world.addDevice(n)
    const [ana, ben, cleo] = await Promise.all(['ana', 'ben', 'cleo'].map((n) => world.open(n)))
    connect(ana, ben)
    connect(ana, cleo)
    ana.post('before')
    await settle(ana, ben, cleo)
    world.append({
      type: 'channel-members',
      channelId: world.channelId,
      add: ['cleo'],
      remove: ['ben'],
    })
    for (const e of [ana, ben, cleo]) e.setOrgState(world.state())
    ana.post('after')
    await settle(ana, ben, cleo)
    expect(texts(cleo)).toContain('after')
    // Ben still links to Ana and was sent the envelope; the new epoch's chain never reached him.
    expect(texts(ben)).toEqual(['before'])
    expect(ben.stats.parked).toBeGreaterThan(0)
  })
})
