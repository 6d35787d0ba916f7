// RatchetEncrypt (Signal spec §3.4), pure: (state, plaintext) -> (state', message). When the
// last step was a receiving one, the sending half of the DH ratchet step is taken here, lazily,
// so decrypt never needs randomness.

import { nobleSymmetric } from '../provider/symmetric.ts'
import { fail } from '../errors/conch-error.ts'
import type { CryptoProvider } from '../provider/crypto-provider.ts'
import { encodePublicIdentity } from '../x3dh/identity.ts'
import { encodeAssociatedData } from './associated-data.ts'
import {
  expandMessageKey,
  kdfChainKey,
  kdfRootKey,
  RATCHET_MESSAGE_KEYS_INFO,
} from './chain-kdf.ts'
import {
  encodeRatchetHeader,
  encodeRatchetMessage,
  MAX_CHAIN_COUNTER,
  MAX_PAIRWISE_PLAINTEXT,
} from './ratchet-message.ts'
import type { RatchetState } from './ratchet-state.ts'

export const RATCHET_AD_CONTEXT = 'ratchet/message'

/**
 * AD = bytes(label) | bytes(initiator identity) | bytes(responder identity) | bytes(header):
 * both identities, the header and (inside the label and header) the protocol version.
 */
export function ratchetAssociatedData(state: RatchetState, headerBytes: Uint8Array): Uint8Array {
  const local = encodePublicIdentity(state.localIdentity)
  const remote = encodePublicIdentity(state.remoteIdentity)
  const [initiator, responder] = state.role === 'initiator' ? [local, remote] : [remote, local]
  return encodeAssociatedData(RATCHET_AD_CONTEXT, [initiator, responder, headerBytes])
}

export interface EncryptResult {
  state: RatchetState
  /** The RatchetMessage wire bytes. */
  message: Uint8Array
}

export async function ratchetEncrypt(
  provider: CryptoProvider,
  state: RatchetState,
  plaintext: Uint8Array,
): Promise<EncryptResult> {
  if (plaintext.length > MAX_PAIRWISE_PLAINTEXT) fail('crypto/bad-argument', 'plaintext too long')
  const sym = provider.symmetric ?? nobleSymmetric
  let next = state
  if (!next.sendingChainKey) {
    if (!next.receivingRatchetKey) fail('protocol/no-session', 'responder has not heard yet')
    const sendingRatchetKey = await provider.generateDhKeyPair()
    const dhOutput = await provider.dh(sendingRatchetKey, next.receivingRatchetKey)
    const root = kdfRootKey(next.rootKey, dhOutput, sym)
    next = {
      ...next,
      sendingRatchetKey,
      rootKey: root.rootKey,
      sendingChainKey: root.chainKey,
    }
  }
  if (next.sendingCount >= MAX_CHAIN_COUNTER) fail('protocol/limit-reached', 'chain exhausted')
  const step = kdfChainKey(next.sendingChainKey!, sym)
  const headerBytes = encodeRatchetHeader({
    ratchetKey: next.sendingRatchetKey.publicKey,
    previousChainLength: next.previousSendingCount,
    messageNumber: next.sendingCount,
  })
  const { key, nonce } = expandMessageKey(step.messageKey, RATCHET_MESSAGE_KEYS_INFO, sym)
  const ciphertext = sym.seal(key, nonce, plaintext, ratchetAssociatedData(next, headerBytes))
  key.fill(0)
  step.messageKey.fill(0)
  return {
    state: { ...next, sendingChainKey: step.chainKey, sendingCount: next.sendingCount + 1 },
    message: encodeRatchetMessage(headerBytes, ciphertext),
  }
}
