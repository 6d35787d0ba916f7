// Stories about the prekey directory: a device publishes its X3DH signed prekey in the org log,
// and only a prekey its own certified identity signed, newer than its last, ever gets listed.

import {
  acceptEntries,
  directoryBundle,
  type LogEntry,
  OrgLogReplica,
  preverifyLogSignatures,
  publishPrekeyBody,
  signPrekey,
} from '../../crypto/membership/index.ts'
import fc from 'fast-check'
import { decodeLogEntry } from '../../crypto/membership/log-entry.ts'
import { defaultProvider } from '../../crypto/provider/default-provider.ts'
import {
  createPrekeyBundle,
  createSignedPreKey,
  decodePrekeyBundle,
  encodePrekeyBundle,
  verifySignedPreKey,
} from '../../crypto/x3dh/prekey-bundle.ts'
import { assert, assertEquals, assertThrowsCode, stateFingerprint } from './support/assert.ts'
import { hex, type TestDevice, TestOrg } from './support/org-fixture.ts'

const reasonOf = (org: TestOrg, e: LogEntry) =>
  org.state().rejected.find((r) => r.id === e.id)?.reason

/** `device` publishes prekey `id` (a fresh X25519 public key unless given), signed by `signer`. */
function publish(
  org: TestOrg,
  device: TestDevice,
  id: number,
  options: {
    signer?: TestDevice
    prekey?: Uint8Array
    signature?: Uint8Array
    onTopOf?: LogEntry[]
  } = {},
): LogEntry {
  const prekey = options.prekey ?? org.random(32)
  const signer = options.signer ?? device
  const signature = options.signature ??
    signPrekey(signer.signing.secretKey, signer.dh.publicKey, id, prekey)
  return org.append(
    device.signing.secretKey,
    publishPrekeyBody(id, prekey, signature),
    options.onTopOf,
  )
}

/** The worker's two refusal paths (pure and live replica) both refuse `entry` on top of the rest. */
function workerRefuses(org: TestOrg, entry: LogEntry): void {
  const known = org.log.filter((e) => e !== entry)
  assertThrowsCode(() => acceptEntries(org.anchor, known, [entry]), 'membership/bad-log')
  const replica = new OrgLogReplica(org.anchor, known)
  const before = replica.state.heads.map(hex)
  assertThrowsCode(() => replica.accept([entry]), 'membership/bad-log')
  assertEquals(replica.state.heads.map(hex), before, 'the refusal changed nothing')
}

Deno.test('Ben publishes his signed prekey; Ana builds a bundle that X3DH accepts', async () => {
  const org = new TestOrg(61)
  const admin = org.appointAdmin('admin')
  const ben = org.issue(admin, 'ben')
  const provider = await defaultProvider()
  // The engine's own signed prekey (async provider) is what the directory carries, byte for byte.
  const identity = { signing: ben.device.signing, dh: ben.device.dh }
  const spk = await createSignedPreKey(provider, identity, 1)
  assertEquals(
    signPrekey(ben.device.signing.secretKey, ben.device.dh.publicKey, 1, spk.keyPair.publicKey),
    spk.signature,
  )
  const entry = org.append(
    ben.device.signing.secretKey,
    publishPrekeyBody(1, spk.keyPair.publicKey, spk.signature),
  )
  const state = org.state()
  assertEquals(state.prekeys.get(hex(ben.device.deviceId))?.entryId, entry.id)
  const bundle = directoryBundle(state, hex(ben.device.deviceId))!
  assertEquals(encodePrekeyBundle(bundle), encodePrekeyBundle(createPrekeyBundle(identity, spk)))
  assertEquals(decodePrekeyBundle(encodePrekeyBundle(bundle)), bundle)
  assert(await verifySignedPreKey(provider, bundle.identity, bundle))
  // The worker takes it.
  const known = org.log.slice(0, -1)
  assertEquals(acceptEntries(org.anchor, known, [entry]).accepted.length, 1)
  assertEquals(new OrgLogReplica(org.anchor, known).accept([entry]).length, 1)
  assertEquals(directoryBundle(state, hex(org.random(16))), undefined)
})

Deno.test('a forged signed-prekey signature is refused by every replica and the worker', () => {
  const org = new TestOrg(62)
  const admin = org.appointAdmin('admin')
  const ben = org.issue(admin, 'ben')
  const forged = publish(org, ben.device, 1, { signature: org.random(64) })
  assertEquals(reasonOf(org, forged), 'bad signed-prekey signature')
  assert(!org.state().prekeys.has(hex(ben.device.deviceId)))
  workerRefuses(org, forged)
  // A valid signature over another prekey, moved onto this one: refused too.
  org.log.pop()
  const prekey = org.random(32)
  const moved = publish(org, ben.device, 1, {
    prekey,
    signature: signPrekey(ben.device.signing.secretKey, ben.device.dh.publicKey, 1, org.random(32)),
  })
  assertEquals(reasonOf(org, moved), 'bad signed-prekey signature')
  // And one signed for id 1 but published as id 2.
  org.log.pop()
  const renumbered = publish(org, ben.device, 2, {
    prekey,
    signature: signPrekey(ben.device.signing.secretKey, ben.device.dh.publicKey, 1, prekey),
  })
  assertEquals(reasonOf(org, renumbered), 'bad signed-prekey signature')
})

Deno.test('a prekey signed by another device is refused, whoever publishes it', () => {
  const org = new TestOrg(63)
  const admin = org.appointAdmin('admin')
  const ben = org.issue(admin, 'ben')
  const mallory = org.issue(admin, 'mallory')
  // Ben's entry carrying a prekey Mallory signed (over Ben's own identity key, even).
  const prekey = org.random(32)
  const signedByMallory = publish(org, ben.device, 1, {
    prekey,
    signature: signPrekey(mallory.device.signing.secretKey, ben.device.dh.publicKey, 1, prekey),
  })
  assertEquals(reasonOf(org, signedByMallory), 'bad signed-prekey signature')
  workerRefuses(org, signedByMallory)
  org.log.pop()
  // Mallory republishing Ben's genuine signed prekey as her own: it is checked against Mallory's
  // certified identity, so it fails; Ben's own entry stands.
  const genuine = publish(org, ben.device, 1)
  const body = genuine.body
  assert(body.type === 'publish-prekey')
  const stolen = org.append(mallory.device.signing.secretKey, { ...body })
  assertEquals(reasonOf(org, stolen), 'bad signed-prekey signature')
  const state = org.state()
  assertEquals(state.prekeys.get(hex(ben.device.deviceId))?.entryId, genuine.id)
  assert(!state.prekeys.has(hex(mallory.device.deviceId)))
  // A key that is no device of this org (the admin's) cannot publish at all.
  const admins = publish(org, {
    signing: admin.keys,
    dh: ben.device.dh,
    deviceId: org.random(16),
  }, 1)
  assertEquals(reasonOf(org, admins), 'author is not a device of this org')
})

Deno.test('replay of an old prekey changes nothing; a step back in ids is refused', () => {
  const org = new TestOrg(64)
  const admin = org.appointAdmin('admin')
  const ben = org.issue(admin, 'ben')
  const first = publish(org, ben.device, 1)
  const second = publish(org, ben.device, 2)
  const device = hex(ben.device.deviceId)
  assertEquals(org.state().prekeys.get(device)?.entryId, second.id)
  // The old entry again, late, or first: the same state (it is the same node of the DAG).
  const reversed = org.state([...org.log].reverse())
  assertEquals(reversed.prekeys.get(device)?.entryId, second.id)
  assertEquals(org.state([...org.log, first]).prekeys.get(device)?.entryId, second.id)
  const replica = new OrgLogReplica(org.anchor, org.log)
  assertEquals(replica.accept([first]), [], 'a replayed entry is no news')
  // Ben's key signing his old prekey afresh (a new entry, id 1 again): a rollback, refused.
  const old = first.body
  assert(old.type === 'publish-prekey')
  const rollback = publish(org, ben.device, 1, { prekey: old.prekey, signature: old.signature })
  assertEquals(reasonOf(org, rollback), 'stale prekey: ids must increase')
  assertEquals(org.state().prekeys.get(device)?.entryId, second.id)
  workerRefuses(org, rollback)
  // Equal ids are a step back too.
  org.log.pop()
  const again = publish(org, ben.device, 2)
  assertEquals(reasonOf(org, again), 'stale prekey: ids must increase')
})

Deno.test('two prekeys published concurrently: the higher id wins in every order', () => {
  const org = new TestOrg(65)
  const admin = org.appointAdmin('admin')
  const ben = org.issue(admin, 'ben')
  const base = org.log.slice()
  const high = publish(org, ben.device, 9)
  const low = org.append(
    ben.device.signing.secretKey,
    publishPrekeyBody(
      3,
      new Uint8Array(32).fill(3),
      signPrekey(
        ben.device.signing.secretKey,
        ben.device.dh.publicKey,
        3,
        new Uint8Array(32).fill(3),
      ),
    ),
    base,
  )
  for (const order of [[...base, high, low], [...base, low, high], [low, high, ...base]]) {
    const state = org.state(order)
    assertEquals(state.prekeys.get(hex(ben.device.deviceId))?.prekeyId, 9)
    // The lower one applies only if it sorts first (same depth: by hash); else it is stale.
    assert(state.log.some((e) => e.id === high.id))
  }
  assertEquals(org.state().log.some((e) => e.id === low.id), low.id < high.id)
})

Deno.test('the old unsigned layout applies but lists nothing; the worker takes no new ones', () => {
  const org = new TestOrg(66)
  const admin = org.appointAdmin('admin')
  const ben = org.issue(admin, 'ben')
  const legacy = org.append(ben.device.signing.secretKey, {
    type: 'publish-prekey-v1',
    prekeyId: 1,
    prekey: org.random(32),
  })
  // An admin entry built on top of it stays placeable: old logs keep their descendants.
  const policy = org.append(admin.secretKey, { type: 'set-policy', key: 'k', value: 'v' })
  assert(policy.parentIds.includes(legacy.id))
  const state = org.state()
  assertEquals(state.rejected, [])
  assertEquals(state.policies.get('k')?.value, 'v')
  assert(!state.prekeys.has(hex(ben.device.deviceId)), 'no X3DH signature: not in the directory')
  assertEquals(directoryBundle(state, hex(ben.device.deviceId)), undefined)
  workerRefuses(org, legacy)
  // Type 12 keeps its old grammar, type 14 is the signed one.
  assertEquals(legacy.bytes[17], 12)
  assertEquals(publish(org, ben.device, 1).bytes[17], 14)
})

Deno.test("a revoked device's prekey leaves the directory; its bundle is gone", () => {
  const org = new TestOrg(67)
  const admin = org.appointAdmin('admin')
  const ben = org.issue(admin, 'ben')
  publish(org, ben.device, 1)
  assert(directoryBundle(org.state(), hex(ben.device.deviceId)) !== undefined)
  org.append(admin.secretKey, { type: 'revoke-device', deviceId: ben.device.deviceId, reason: '' })
  assertEquals(directoryBundle(org.state(), hex(ben.device.deviceId)), undefined)
  const late = publish(org, ben.device, 2)
  workerRefuses(org, late)
})

Deno.test('native batch pre-verification of prekeys agrees with the strict reference', async () => {
  const org = new TestOrg(68)
  const admin = org.appointAdmin('admin')
  const ben = org.issue(admin, 'ben')
  const cleo = org.issue(admin, 'cleo')
  publish(org, ben.device, 1)
  const forged = publish(org, cleo.device, 1, { signer: ben.device })
  const fresh = () => org.log.map((e) => decodeLogEntry(e.bytes)) // nothing memoised yet
  const preverified = fresh()
  await preverifyLogSignatures(preverified, await defaultProvider())
  assertEquals(stateFingerprint(org.state(preverified)), stateFingerprint(org.state(fresh())))
  assertEquals(org.state(preverified).rejected.map((r) => [r.id, r.reason]), [
    [forged.id, 'bad signed-prekey signature'],
  ])
  assertEquals([...org.state(preverified).prekeys.keys()], [hex(ben.device.deviceId)])
})

Deno.test('property: prekeys published on any heads, in any arrival order, list the highest id', () => {
  const org = new TestOrg(69)
  const admin = org.appointAdmin('admin')
  const ben = org.issue(admin, 'ben')
  const base = org.log.slice()
  // Eight publications with distinct ids, each on a random earlier prefix of the log (so some
  // are concurrent), and two forged ones beside them.
  for (const id of [5, 2, 9, 1, 7, 3, 8, 4]) {
    const extra = org.random(1)[0] % (org.log.length - base.length + 1)
    publish(org, ben.device, id, { onTopOf: org.log.slice(0, base.length + extra) })
  }
  publish(org, ben.device, 99, { signature: org.random(64), onTopOf: base })
  publish(org, ben.device, 98, { signer: org.newDevice(), onTopOf: base })
  const expected = stateFingerprint(org.state())
  assertEquals(org.state().prekeys.get(hex(ben.device.deviceId))?.prekeyId, 9)
  fc.assert(
    fc.property(
      fc.array(fc.nat(), { minLength: org.log.length, maxLength: org.log.length }),
      (keys) => {
        const order = org.log.map((e, i) => ({ e, k: keys[i] * 64 + i })).sort((a, b) => a.k - b.k)
        assertEquals(stateFingerprint(org.state(order.map((x) => x.e))), expected)
        const replica = new OrgLogReplica(org.anchor)
        for (const { e } of order) replica.add([e])
        assertEquals(stateFingerprint(replica.state), expected)
      },
    ),
    { numRuns: 30, seed: 69 },
  )
})
