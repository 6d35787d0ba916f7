// The Double Ratchet session state (Signal spec §3.2) as plain, immutable data: every operation
// returns a new state and never mutates its input, which makes decrypt transactional for free.

import type { DhKeyPair } from '../provider/crypto-provider.ts'
import type { PublicIdentity } from '../x3dh/identity.ts'

/** Most message keys one incoming message may make us skip (spec §3.5 MAX_SKIP). */
export const MAX_SKIP = 1000
/** Most skipped message keys a session keeps in total; the oldest are evicted (spec §6.4). */
export const MAX_SKIPPED_KEYS = 2000
/** Old receiving ratchet keys remembered so late replays on them fail without a DH. */
export const MAX_PREVIOUS_RECEIVING_KEYS = 5

export interface SkippedMessageKey {
  ratchetKey: Uint8Array
  messageNumber: number
  messageKey: Uint8Array
}

/** What the initiator repeats in every message until the responder's first reply arrives. */
export interface PendingInitial {
  signedPreKeyId: number
  oneTimePreKeyId: number | undefined
}

export interface RatchetState {
  /** 'initiator' ran X3DH from a bundle; 'responder' published it. Fixes the AD order. */
  role: 'initiator' | 'responder'
  localIdentity: PublicIdentity
  remoteIdentity: PublicIdentity
  /** The initiator's X3DH ephemeral key: names the session for repeated initial messages. */
  baseKey: Uint8Array
  rootKey: Uint8Array
  /** DHs. */
  sendingRatchetKey: DhKeyPair
  /** DHr (absent for a responder that has not yet heard from the initiator). */
  receivingRatchetKey: Uint8Array | undefined
  /** CKs; absent after a receiving step until the next encrypt takes the sending step. */
  sendingChainKey: Uint8Array | undefined
  /** CKr. */
  receivingChainKey: Uint8Array | undefined
  /** Ns, Nr, PN. */
  sendingCount: number
  receivingCount: number
  previousSendingCount: number
  /** MKSKIPPED, oldest first. */
  skipped: readonly SkippedMessageKey[]
  /** Receiving ratchet keys we have moved past, newest last. */
  previousReceivingKeys: readonly Uint8Array[]
  pendingInitial: PendingInitial | undefined
}
