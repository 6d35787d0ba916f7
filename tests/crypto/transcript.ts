// A short, fixed, seeded conversation run through crypto/ or through the reference: the source
// of the frozen transcript vectors (tests/vectors/crypto-ratchet-transcript.json).

import { utf8 } from '../../crypto/codec/bytes.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import type { RandomSource } from '../../crypto/primitives/random.ts'
import type { RatchetState } from '../../crypto/ratchet/ratchet-state.ts'
import {
  acceptPairwise,
  decryptPairwise,
  encryptPairwise,
} from '../../crypto/session/pairwise-session.ts'
import { publicIdentity } from '../../crypto/x3dh/identity.ts'
import {
  createOneTimePreKey,
  createPrekeyBundle,
  createSignedPreKey,
} from '../../crypto/x3dh/prekey-bundle.ts'
import { initiateSession } from '../../crypto/x3dh/x3dh-initiate.ts'
import { ReferenceSession } from './reference/reference-ratchet.ts'
import { seededRandom } from './seeded-random.ts'

export const TRANSCRIPT_SEED = 20261122
/** Who sends each message; every message is delivered at once, in order. */
export const TRANSCRIPT_SCRIPT = ['alice', 'alice', 'bob', 'alice', 'bob', 'bob', 'alice'] as const

export interface TranscriptStep {
  from: 'alice' | 'bob'
  plaintext: Uint8Array
  envelope: Uint8Array
}

export async function runTranscript(
  makeProvider: (random: RandomSource) => CryptoProvider,
  engine: 'real' | 'reference',
): Promise<TranscriptStep[]> {
  const setup = makeProvider(seededRandom(TRANSCRIPT_SEED + 1))
  const aliceId = {
    signing: await setup.generateSigningKeyPair(),
    dh: await setup.generateDhKeyPair(),
  }
  const bobId = {
    signing: await setup.generateSigningKeyPair(),
    dh: await setup.generateDhKeyPair(),
  }
  const spk = await createSignedPreKey(setup, bobId, 1)
  const opk = await createOneTimePreKey(setup, 9)
  const random = seededRandom(TRANSCRIPT_SEED)
  const steps: TranscriptStep[] = []

  if (engine === 'reference') {
    const alice = ReferenceSession.initiate(random, aliceId, { identity: bobId }, {
      spkId: 1,
      spk: spk.keyPair.publicKey,
      spkSig: spk.signature,
      opk: { id: 9, key: opk.keyPair.publicKey },
    })
    let bob: ReferenceSession | undefined
    for (const [i, from] of TRANSCRIPT_SCRIPT.entries()) {
      const plaintext = utf8(`${from} says ${i}`)
      const envelope = (from === 'alice' ? alice : bob!).encrypt(plaintext)
      if (from === 'alice' && !bob) {
        bob = ReferenceSession.respond(random, bobId, spk.keyPair, opk.keyPair, envelope)[0]
      } else (from === 'alice' ? bob! : alice).decrypt(envelope)
      steps.push({ from, plaintext, envelope })
    }
    return steps
  }

  const p = makeProvider(random)
  let alice: RatchetState = await initiateSession(p, {
    identity: aliceId,
    bundle: createPrekeyBundle(bobId, spk, opk),
    responder: publicIdentity(bobId),
  })
  let bob: RatchetState | undefined
  for (const [i, from] of TRANSCRIPT_SCRIPT.entries()) {
    const plaintext = utf8(`${from} says ${i}`)
    const sent = await encryptPairwise(p, from === 'alice' ? alice : bob!, plaintext)
    if (from === 'alice') {
      alice = sent.state
      bob = bob ? (await decryptPairwise(p, bob, sent.envelope)).state : (await acceptPairwise(p, {
        identity: bobId,
        initiator: publicIdentity(aliceId),
        signedPreKey: spk,
        oneTimePreKey: opk,
        seenBaseKeys: [],
      }, sent.envelope)).state
    } else {
      bob = sent.state
      alice = (await decryptPairwise(p, alice, sent.envelope)).state
    }
    steps.push({ from, plaintext, envelope: sent.envelope })
  }
  return steps
}
