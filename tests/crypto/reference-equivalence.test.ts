// The real crypto/ against the slow reference (reference/reference-ratchet.ts): driven by the same
// seeded randomness through random conversations with loss, reordering and replays, both must
// produce identical envelope bytes and identical outcomes: on every provider, native included.

import fc from 'fast-check'
import { assert, assertEquals } from './assert.ts'
import { fromUtf8, toHex, utf8 } from '../../crypto/codec/bytes.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import { createNobleProvider } from '../../crypto/provider/noble-provider.ts'
import { createNodeCryptoProvider } from '../../crypto/provider/node-crypto-provider.ts'
import { createWebCryptoProvider } from '../../crypto/provider/webcrypto-provider.ts'
import type { RatchetState } from '../../crypto/ratchet/ratchet-state.ts'
import { encodeRatchetState } from '../../crypto/ratchet/ratchet-state-codec.ts'
import {
  acceptPairwise,
  decryptPairwise,
  encryptPairwise,
} from '../../crypto/session/pairwise-session.ts'
import { publicIdentity } from '../../crypto/x3dh/identity.ts'
import { createPrekeyBundle, createSignedPreKey } from '../../crypto/x3dh/prekey-bundle.ts'
import { initiateSession } from '../../crypto/x3dh/x3dh-initiate.ts'
import { ReferenceSession } from './reference/reference-ratchet.ts'
import { seededRandom } from './seeded-random.ts'

type Maker = (seed: number) => Promise<CryptoProvider>
const makers: [string, Maker][] = [
  ['noble', (seed) => Promise.resolve(createNobleProvider(seededRandom(seed)))],
  ['webcrypto', (seed) => createWebCryptoProvider({ random: seededRandom(seed) })],
]
if (await createNodeCryptoProvider()) {
  makers.push([
    'node-crypto',
    async (seed) => (await createNodeCryptoProvider({ random: seededRandom(seed) }))!,
  ])
}

type Action =
  | { kind: 'alice-sends' }
  | { kind: 'bob-sends' }
  | { kind: 'deliver-to-bob'; pick: number }
  | { kind: 'deliver-to-alice'; pick: number }
  | { kind: 'replay-to-bob'; pick: number }

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constant({ kind: 'alice-sends' as const }),
  fc.constant({ kind: 'bob-sends' as const }),
  fc.nat(40).map((pick) => ({ kind: 'deliver-to-bob' as const, pick })),
  fc.nat(40).map((pick) => ({ kind: 'deliver-to-alice' as const, pick })),
  fc.nat(40).map((pick) => ({ kind: 'replay-to-bob' as const, pick })),
)

async function outcome<T>(
  run: () => Promise<T> | T,
): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await run() }
  } catch {
    return { ok: false }
  }
}

async function conversation(make: Maker, seed: number, actions: Action[]) {
  const p = await make(seed)
  const refRandom = seededRandom(seed)
  // Identities and prekeys come from a third stream and are shared by both worlds.
  const setup = createNobleProvider(seededRandom(seed + 1))
  const aliceId = {
    signing: await setup.generateSigningKeyPair(),
    dh: await setup.generateDhKeyPair(),
  }
  const bobId = {
    signing: await setup.generateSigningKeyPair(),
    dh: await setup.generateDhKeyPair(),
  }
  const spk = await createSignedPreKey(setup, bobId, 1)

  let alice: RatchetState = await initiateSession(p, {
    identity: aliceId,
    bundle: createPrekeyBundle(bobId, spk),
    responder: publicIdentity(bobId),
  })
  const refAlice = ReferenceSession.initiate(refRandom, aliceId, { identity: bobId }, {
    spkId: 1,
    spk: spk.keyPair.publicKey,
    spkSig: spk.signature,
  })
  let bob: RatchetState | undefined
  let refBob: ReferenceSession | undefined
  const toBob: { bytes: Uint8Array; text: string }[] = []
  const toAlice: { bytes: Uint8Array; text: string }[] = []
  const deliveredToBob: Uint8Array[] = []
  let counter = 0

  for (const a of actions) {
    if (a.kind === 'alice-sends') {
      const text = `a${counter++}`
      const real = await encryptPairwise(p, alice, utf8(text))
      alice = real.state
      assertEquals(toHex(real.envelope), toHex(refAlice.encrypt(utf8(text))))
      toBob.push({ bytes: real.envelope, text })
    } else if (a.kind === 'bob-sends') {
      if (!bob || !refBob) continue
      const text = `b${counter++}`
      const real = await encryptPairwise(p, bob, utf8(text))
      bob = real.state
      assertEquals(toHex(real.envelope), toHex(refBob.encrypt(utf8(text))))
      toAlice.push({ bytes: real.envelope, text })
    } else if (a.kind === 'deliver-to-bob') {
      if (toBob.length === 0) continue
      const [m] = toBob.splice(a.pick % toBob.length, 1)
      if (!bob) {
        const real = await acceptPairwise(p, {
          identity: bobId,
          initiator: publicIdentity(aliceId),
          signedPreKey: spk,
          oneTimePreKey: undefined,
          seenBaseKeys: [],
        }, m.bytes)
        const [ref, refText] = ReferenceSession.respond(
          refRandom,
          bobId,
          spk.keyPair,
          undefined,
          m.bytes,
        )
        bob = real.state
        refBob = ref
        assertEquals(fromUtf8(real.plaintext), m.text)
        assertEquals(fromUtf8(refText), m.text)
      } else {
        const real = await decryptPairwise(p, bob, m.bytes)
        bob = real.state
        assertEquals(fromUtf8(real.plaintext), m.text)
        assertEquals(fromUtf8(refBob!.decrypt(m.bytes)), m.text)
      }
      deliveredToBob.push(m.bytes)
    } else if (a.kind === 'deliver-to-alice') {
      if (toAlice.length === 0) continue
      const [m] = toAlice.splice(a.pick % toAlice.length, 1)
      const real = await decryptPairwise(p, alice, m.bytes)
      alice = real.state
      assertEquals(fromUtf8(real.plaintext), m.text)
      assertEquals(fromUtf8(refAlice.decrypt(m.bytes)), m.text)
    } else {
      if (!bob || deliveredToBob.length === 0) continue
      const replayed = deliveredToBob[a.pick % deliveredToBob.length]
      const before = toHex(encodeRatchetState(bob))
      const real = await outcome(() => decryptPairwise(p, bob!, replayed))
      const ref = await outcome(() => refBob!.decrypt(replayed))
      assert(!real.ok && !ref.ok, 'a replay was accepted')
      assertEquals(toHex(encodeRatchetState(bob)), before)
    }
  }
}

for (const [name, make] of makers) {
  Deno.test(`[${name}] random conversations: real and reference agree byte for byte, each message decrypts once`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.array(action, { maxLength: 40 }),
        (seed, actions) => conversation(make, seed, actions),
      ),
      { numRuns: name === 'noble' ? 50 : 100 },
    )
  })
}
