// X3DH for the responder (spec §3.4) and RatchetInitBob, followed by the decrypt of the first
// message: the session exists only if that message authenticates. Without a one-time prekey a
// replayed initial message would rebuild the same session, so each signed prekey keeps the base
// keys it has accepted (spec §4.2) and refuses to see one twice.

import { equalBytes } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import type { CryptoProvider } from '../provider/crypto-provider.ts'
import { ratchetDecrypt } from '../ratchet/ratchet-decrypt.ts'
import { nobleSymmetric } from '../provider/symmetric.ts'
import type { RatchetState } from '../ratchet/ratchet-state.ts'
import {
  type IdentityKeyPair,
  type PublicIdentity,
  publicIdentity,
  sameIdentity,
} from './identity.ts'
import type { InitialMessage } from './initial-message.ts'
import type { OneTimePreKey, SignedPreKey } from './prekey-bundle.ts'
import { x3dhSharedSecret } from './shared-secret.ts'

/** Base keys remembered per signed prekey; past this, rotate the signed prekey. */
export const MAX_SEEN_BASE_KEYS = 10_000

export interface RespondInput {
  identity: IdentityKeyPair
  /** The initiator identity from its device certificate; the message must carry exactly it. */
  initiator: PublicIdentity
  /** The signed prekey the message names (the caller looks it up by id). */
  signedPreKey: SignedPreKey
  /** The one-time prekey the message names, if the caller still holds it. */
  oneTimePreKey: OneTimePreKey | undefined
  /** Base keys already accepted under this signed prekey without a one-time prekey. */
  seenBaseKeys: readonly Uint8Array[]
  message: InitialMessage
}

export interface RespondResult {
  state: RatchetState
  plaintext: Uint8Array
  /** The new base-key cache for this signed prekey (store it with the prekey). */
  seenBaseKeys: readonly Uint8Array[]
  /** Delete this one-time prekey now: it must never be used again. */
  consumedOneTimePreKeyId: number | undefined
}

export async function respondToSession(
  provider: CryptoProvider,
  input: RespondInput,
): Promise<RespondResult> {
  const { identity, message, signedPreKey, oneTimePreKey } = input
  if (!sameIdentity(message.initiator, input.initiator)) {
    fail('protocol/wrong-sender', 'initial message from another identity')
  }
  if (message.signedPreKeyId !== signedPreKey.id) fail('protocol/unknown-prekey', 'signed prekey')
  if (message.oneTimePreKeyId !== undefined) {
    // Named a one-time prekey we no longer hold: refuse, never fall back to a session without it.
    if (!oneTimePreKey || oneTimePreKey.id !== message.oneTimePreKeyId) {
      fail('protocol/unknown-prekey', 'one-time prekey')
    }
  } else if (input.seenBaseKeys.some((k) => equalBytes(k, message.baseKey))) {
    fail('protocol/replay', 'initial message replayed')
  } else if (input.seenBaseKeys.length >= MAX_SEEN_BASE_KEYS) {
    fail('protocol/limit-reached', 'signed prekey must rotate')
  }
  const useOneTime = message.oneTimePreKeyId !== undefined ? oneTimePreKey : undefined
  const [dh1, dh2, dh3, dh4] = await Promise.all([
    provider.dh(signedPreKey.keyPair, message.initiator.dhKey),
    provider.dh(identity.dh, message.baseKey),
    provider.dh(signedPreKey.keyPair, message.baseKey),
    useOneTime ? provider.dh(useOneTime.keyPair, message.baseKey) : Promise.resolve(undefined),
  ])
  const rootKey = x3dhSharedSecret(
    dh4 ? [dh1, dh2, dh3, dh4] : [dh1, dh2, dh3],
    provider.symmetric ?? nobleSymmetric,
  )
  for (const secret of [dh1, dh2, dh3, dh4]) secret?.fill(0)
  const fresh: RatchetState = {
    role: 'responder',
    localIdentity: publicIdentity(identity),
    remoteIdentity: message.initiator,
    baseKey: message.baseKey,
    rootKey,
    sendingRatchetKey: signedPreKey.keyPair,
    receivingRatchetKey: undefined,
    sendingChainKey: undefined,
    receivingChainKey: undefined,
    sendingCount: 0,
    receivingCount: 0,
    previousSendingCount: 0,
    skipped: [],
    previousReceivingKeys: [],
    pendingInitial: undefined,
  }
  const { state, plaintext } = await ratchetDecrypt(provider, fresh, message.message)
  return {
    state,
    plaintext,
    seenBaseKeys: useOneTime ? input.seenBaseKeys : [...input.seenBaseKeys, message.baseKey],
    consumedOneTimePreKeyId: useOneTime?.id,
  }
}
