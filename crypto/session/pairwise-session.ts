// Pairwise sessions end to end: X3DH to start, the Double Ratchet after, and the envelope the
// bytes travel in. Every function is pure over plain data; the caller stores the state it gets
// back (and only then acts on the plaintext).

import { equalBytes } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import type { CryptoProvider } from '../provider/crypto-provider.ts'
import { type DecryptResult, ratchetDecrypt } from '../ratchet/ratchet-decrypt.ts'
import { ratchetEncrypt } from '../ratchet/ratchet-encrypt.ts'
import type { RatchetState } from '../ratchet/ratchet-state.ts'
import { sameIdentity } from '../x3dh/identity.ts'
import { type RespondInput, type RespondResult, respondToSession } from '../x3dh/x3dh-respond.ts'
import {
  decodePairwiseEnvelope,
  encodePairwiseEnvelope,
  type PairwiseEnvelope,
} from './pairwise-envelope.ts'

export interface PairwiseEncryptResult {
  state: RatchetState
  envelope: Uint8Array
}

/** Encrypts one message; until the peer has replied, it rides in an X3DH initial message. */
export async function encryptPairwise(
  provider: CryptoProvider,
  state: RatchetState,
  plaintext: Uint8Array,
): Promise<PairwiseEncryptResult> {
  const result = await ratchetEncrypt(provider, state, plaintext)
  const pending = state.pendingInitial
  const envelope: PairwiseEnvelope = pending
    ? {
      type: 'initial',
      initial: {
        initiator: state.localIdentity,
        baseKey: state.baseKey,
        signedPreKeyId: pending.signedPreKeyId,
        oneTimePreKeyId: pending.oneTimePreKeyId,
        message: result.message,
      },
    }
    : { type: 'ratchet', message: result.message }
  return { state: result.state, envelope: encodePairwiseEnvelope(envelope) }
}

/** The base key an initial envelope names (to find an existing session), else undefined. */
export function initialBaseKey(envelope: Uint8Array): Uint8Array | undefined {
  const decoded = decodePairwiseEnvelope(envelope)
  return decoded.type === 'initial' ? decoded.initial.baseKey : undefined
}

/**
 * Decrypts with an existing session. An initial envelope is accepted only when it repeats this
 * session's own X3DH (same initiator, same base key): the initiator resends it until we reply.
 */
export function decryptPairwise(
  provider: CryptoProvider,
  state: RatchetState,
  envelope: Uint8Array,
): Promise<DecryptResult> {
  const decoded = decodePairwiseEnvelope(envelope)
  if (decoded.type === 'ratchet') return ratchetDecrypt(provider, state, decoded.message)
  const { initial } = decoded
  if (
    state.role !== 'responder' || !equalBytes(initial.baseKey, state.baseKey) ||
    !sameIdentity(initial.initiator, state.remoteIdentity)
  ) {
    fail('protocol/no-session', 'initial message for another session')
  }
  return ratchetDecrypt(provider, state, initial.message)
}

/** Starts the responder's session from an initial envelope (see x3dh-respond.ts for the checks). */
export function acceptPairwise(
  provider: CryptoProvider,
  input: Omit<RespondInput, 'message'>,
  envelope: Uint8Array,
): Promise<RespondResult> {
  const decoded = decodePairwiseEnvelope(envelope)
  if (decoded.type !== 'initial') fail('protocol/no-session', 'no session for this message')
  return respondToSession(provider, { ...input, message: decoded.initial })
}
