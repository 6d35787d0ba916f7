// Stories for the device's prekey publisher: it posts its signed prekey to the org log once the
// device is issued, never twice for the same prekey, again after a rotation, later after a
// failure, and never for a revoked device. The worker here is the pure replica it runs.
import { describe, expect, it } from 'vitest'
import { decodeLogBundle } from '../../crypto/membership/log-bundle.ts'
import { acceptEntries } from '../../crypto/membership/accept-entries.ts'
import type { OrgState } from '../../crypto/membership/org-state.ts'
import { createSignedPreKey } from '../../crypto/x3dh/prekey-bundle.ts'
import { startPrekeyPublisher } from '../../client/membership/prekey-publisher.ts'
import { OrgWorld } from './org-world.ts'

/** The worker's side: accepts a posted bundle onto the world's log the way signaling does. */
function workerFor(world: OrgWorld, online = () => true) {
  const posts: string[] = []
  return {
    posts,
    post(bundle: Uint8Array): Promise<void> {
      posts.push(decodeLogBundle(bundle).map((e) => e.type).join(','))
      if (!online()) return Promise.reject(new Error('offline'))
      const { accepted } = acceptEntries(world.anchor, world.log, decodeLogBundle(bundle))
      world.log.push(...accepted)
      return Promise.resolve()
    },
  }
}

/** The device's org replica: the world's state, with change notifications on demand. */
function replicaOf(world: OrgWorld) {
  const listeners = new Set<(s: OrgState) => void>()
  let state = world.state()
  return {
    get state() {
      return state
    },
    subscribe(l: (s: OrgState) => void) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    /** The worker pushed the log: the replica catches up and tells its subscribers. */
    refresh() {
      state = world.state()
      for (const l of listeners) l(state)
    },
  }
}

describe('prekey publisher', () => {
  it('posts once after enrollment, and again after the signed prekey rotates', async () => {
    const world = await OrgWorld.create(91)
    const ben = await world.addDevice('ben')
    const worker = workerFor(world)
    const replica = replicaOf(world)
    const publisher = startPrekeyPublisher({
      org: replica,
      keys: () => Promise.resolve(ben.keys),
      post: worker.post,
      now: () => world.now,
    })
    // The start-up check posts; a second check before the log comes back waits.
    await new Promise((r) => setTimeout(r, 0))
    expect(worker.posts).toEqual(['publish-prekey'])
    expect(await publisher.check()).toBe('waiting')
    replica.refresh()
    expect(await publisher.check()).toBe('listed')
    expect(replica.state.prekeys.get(ben.hex)?.prekeyId).toBe(1)
    // A rotation (id 2): posted again, and the directory moves on.
    ben.keys.signedPreKey = await createSignedPreKey(world.provider, ben.keys.identity, 2)
    expect(await publisher.check()).toBe('posted')
    replica.refresh()
    expect(replica.state.prekeys.get(ben.hex)?.prekeyId).toBe(2)
    expect(worker.posts).toEqual(['publish-prekey', 'publish-prekey'])
    publisher.stop()
    expect(await publisher.check()).toBe('stopped')
  })

  it('retries after a failed post, not before; a device not yet issued posts nothing', async () => {
    const world = await OrgWorld.create(92)
    const before = world.state()
    const ben = await world.addDevice('ben')
    let online = false
    const worker = workerFor(world, () => online)
    const retries: (() => void)[] = []
    let state = before
    const publisher = startPrekeyPublisher({
      org: {
        get state() {
          return state
        },
        subscribe: () => () => {},
      },
      keys: () => Promise.resolve(ben.keys),
      post: worker.post,
      now: () => world.now,
      schedule: (task) => retries.push(task),
      retryMs: 1000,
    })
    expect(await publisher.check()).toBe('not-issued') // our certificate is not in our log yet
    state = world.state()
    expect(await publisher.check()).toBe('failed')
    expect(await publisher.check()).toBe('waiting')
    expect(retries).toHaveLength(1)
    online = true
    world.now += 1000
    expect(await publisher.check()).toBe('posted')
    expect(world.state().prekeys.has(ben.hex)).toBe(true)
  })

  it('a revoked device publishes nothing', async () => {
    const world = await OrgWorld.create(93)
    const ben = await world.addDevice('ben')
    world.revoke('ben')
    const worker = workerFor(world)
    const publisher = startPrekeyPublisher({
      org: replicaOf(world),
      keys: () => Promise.resolve(ben.keys),
      post: worker.post,
      now: () => world.now,
    })
    expect(await publisher.check()).toBe('revoked')
    expect(worker.posts).toEqual([])
  })
})
