// X3DH for the initiator (spec §3.3) and the Double Ratchet initialisation that follows
// (Double Ratchet spec §3.3 RatchetInitAlice). The bundle's signed prekey is checked against
// the responder identity the caller trusts before any key agreement starts.

import { fail } from '../errors/conch-error.ts'
import type { CryptoProvider } from '../provider/crypto-provider.ts'
import { kdfRootKey } from '../ratchet/chain-kdf.ts'
import { nobleSymmetric } from '../provider/symmetric.ts'
import type { RatchetState } from '../ratchet/ratchet-state.ts'
import {
  type IdentityKeyPair,
  type PublicIdentity,
  publicIdentity,
  sameIdentity,
} from './identity.ts'
import { type PrekeyBundle, verifySignedPreKey } from './prekey-bundle.ts'
import { x3dhSharedSecret } from './shared-secret.ts'

export interface InitiateInput {
  identity: IdentityKeyPair
  bundle: PrekeyBundle
  /** The responder identity from its device certificate; the bundle must carry exactly it. */
  responder: PublicIdentity
}

/** Runs X3DH against `bundle` and returns the initiator's fresh session (pendingInitial set). */
export async function initiateSession(
  provider: CryptoProvider,
  input: InitiateInput,
): Promise<RatchetState> {
  const { identity, bundle, responder } = input
  const sym = provider.symmetric ?? nobleSymmetric
  if (!sameIdentity(bundle.identity, responder)) fail('protocol/wrong-sender', 'bundle identity')
  if (!(await verifySignedPreKey(provider, responder, bundle))) {
    fail('crypto/bad-signature', 'bad signature')
  }
  const [baseKey, sendingRatchetKey] = await Promise.all([
    provider.generateDhKeyPair(),
    provider.generateDhKeyPair(),
  ])
  const otpk = bundle.oneTimePreKey?.publicKey
  // DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B), DH4 = DH(EK_A, OPK_B);
  // then the first ratchet step DH(DHs, SPK_B). Independent, so they run concurrently.
  const [dh1, dh2, dh3, dh4, ratchetDh] = await Promise.all([
    provider.dh(identity.dh, bundle.signedPreKey),
    provider.dh(baseKey, responder.dhKey),
    provider.dh(baseKey, bundle.signedPreKey),
    otpk ? provider.dh(baseKey, otpk) : Promise.resolve(undefined),
    provider.dh(sendingRatchetKey, bundle.signedPreKey),
  ])
  const sharedSecret = x3dhSharedSecret(dh4 ? [dh1, dh2, dh3, dh4] : [dh1, dh2, dh3], sym)
  const root = kdfRootKey(sharedSecret, ratchetDh, sym)
  for (const secret of [dh1, dh2, dh3, dh4, ratchetDh, sharedSecret, baseKey.secretKey]) {
    secret?.fill(0)
  }
  return {
    role: 'initiator',
    localIdentity: publicIdentity(identity),
    remoteIdentity: responder,
    baseKey: baseKey.publicKey,
    rootKey: root.rootKey,
    sendingRatchetKey,
    receivingRatchetKey: bundle.signedPreKey,
    sendingChainKey: root.chainKey,
    receivingChainKey: undefined,
    sendingCount: 0,
    receivingCount: 0,
    previousSendingCount: 0,
    skipped: [],
    previousReceivingKeys: [],
    pendingInitial: {
      signedPreKeyId: bundle.signedPreKeyId,
      oneTimePreKeyId: bundle.oneTimePreKey?.id,
    },
  }
}
