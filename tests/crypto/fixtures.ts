// Shared cast for the protocol tests: identities, prekeys and established sessions for Alice,
// Bob and Carol, on any provider.

import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import type { IdentityKeyPair } from '../../crypto/x3dh/identity.ts'
import { publicIdentity } from '../../crypto/x3dh/identity.ts'
import {
  createOneTimePreKey,
  createPrekeyBundle,
  createSignedPreKey,
  type OneTimePreKey,
  type SignedPreKey,
} from '../../crypto/x3dh/prekey-bundle.ts'
import { initiateSession } from '../../crypto/x3dh/x3dh-initiate.ts'
import { acceptPairwise, encryptPairwise } from '../../crypto/session/pairwise-session.ts'
import type { RatchetState } from '../../crypto/ratchet/ratchet-state.ts'
import { utf8 } from '../../crypto/codec/bytes.ts'

export async function makeIdentity(provider: CryptoProvider): Promise<IdentityKeyPair> {
  return {
    signing: await provider.generateSigningKeyPair(),
    dh: await provider.generateDhKeyPair(),
  }
}

export interface Responder {
  identity: IdentityKeyPair
  signedPreKey: SignedPreKey
  oneTimePreKey: OneTimePreKey | undefined
}

export async function makeResponder(
  provider: CryptoProvider,
  withOneTime = true,
): Promise<Responder> {
  const identity = await makeIdentity(provider)
  return {
    identity,
    signedPreKey: await createSignedPreKey(provider, identity, 1),
    oneTimePreKey: withOneTime ? await createOneTimePreKey(provider, 7) : undefined,
  }
}

export function bundleOf(r: Responder) {
  return createPrekeyBundle(r.identity, r.signedPreKey, r.oneTimePreKey)
}

export interface Pair {
  alice: RatchetState
  bob: RatchetState
  aliceIdentity: IdentityKeyPair
  bob_: Responder
}

/** Alice runs X3DH to Bob, sends "hello", Bob accepts: both sessions established. */
export async function establish(provider: CryptoProvider, withOneTime = true): Promise<Pair> {
  const aliceIdentity = await makeIdentity(provider)
  const bob_ = await makeResponder(provider, withOneTime)
  let alice = await initiateSession(provider, {
    identity: aliceIdentity,
    bundle: bundleOf(bob_),
    responder: publicIdentity(bob_.identity),
  })
  const first = await encryptPairwise(provider, alice, utf8('hello'))
  alice = first.state
  const accepted = await acceptPairwise(provider, {
    identity: bob_.identity,
    initiator: publicIdentity(aliceIdentity),
    signedPreKey: bob_.signedPreKey,
    oneTimePreKey: bob_.oneTimePreKey,
    seenBaseKeys: [],
  }, first.envelope)
  return { alice, bob: accepted.state, aliceIdentity, bob_ }
}
