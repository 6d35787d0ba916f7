// RatchetDecrypt (Signal spec §3.5), pure and transactional: (state, message) -> (state',
// plaintext). Every bound is checked before any key is derived, every derived key lives in a
// candidate state, and the candidate is returned only after the AEAD tag verifies: a failure
// leaves the caller's state (and so its serialized bytes) untouched.

import { equalBytes } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import { nobleSymmetric, type SymmetricPrimitives } from '../provider/symmetric.ts'
import type { CryptoProvider } from '../provider/crypto-provider.ts'
import {
  expandMessageKey,
  kdfChainKey,
  kdfRootKey,
  RATCHET_MESSAGE_KEYS_INFO,
} from './chain-kdf.ts'
import { ratchetAssociatedData } from './ratchet-encrypt.ts'
import { decodeRatchetMessage, type RatchetMessage } from './ratchet-message.ts'
import {
  MAX_PREVIOUS_RECEIVING_KEYS,
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  type RatchetState,
  type SkippedMessageKey,
} from './ratchet-state.ts'

export interface DecryptResult {
  state: RatchetState
  plaintext: Uint8Array
}

function openWith(
  sym: SymmetricPrimitives,
  state: RatchetState,
  message: RatchetMessage,
  messageKey: Uint8Array,
): Uint8Array {
  const { key, nonce } = expandMessageKey(messageKey, RATCHET_MESSAGE_KEYS_INFO, sym)
  try {
    return sym.open(
      key,
      nonce,
      message.ciphertext,
      ratchetAssociatedData(state, message.headerBytes),
    )
  } finally {
    key.fill(0)
  }
}

/** Steps `chainKey` from index `from` to `until`, collecting the skipped keys (spec SkipMessageKeys). */
function skipKeys(
  sym: SymmetricPrimitives,
  ratchetKey: Uint8Array,
  chainKey: Uint8Array,
  from: number,
  until: number,
  into: SkippedMessageKey[],
): Uint8Array {
  let ck = chainKey
  for (let n = from; n < until; n++) {
    const step = kdfChainKey(ck, sym)
    into.push({ ratchetKey, messageNumber: n, messageKey: step.messageKey })
    ck = step.chainKey
  }
  return ck
}

/** The stored keys plus new ones, oldest evicted beyond MAX_SKIPPED_KEYS. */
function boundSkipped(
  kept: readonly SkippedMessageKey[],
  added: SkippedMessageKey[],
): readonly SkippedMessageKey[] {
  if (added.length === 0) return kept
  const all = kept.concat(added)
  return all.length > MAX_SKIPPED_KEYS ? all.slice(all.length - MAX_SKIPPED_KEYS) : all
}

export async function ratchetDecrypt(
  provider: CryptoProvider,
  state: RatchetState,
  messageBytes: Uint8Array,
): Promise<DecryptResult> {
  const sym = provider.symmetric ?? nobleSymmetric
  const message = decodeRatchetMessage(messageBytes)
  const { ratchetKey, messageNumber, previousChainLength } = message.header

  // 1. A key skipped earlier (spec TrySkippedMessageKeys): used once, then deleted.
  const index = state.skipped.findIndex((k) =>
    k.messageNumber === messageNumber && equalBytes(k.ratchetKey, ratchetKey)
  )
  if (index >= 0) {
    const plaintext = openWith(sym, state, message, state.skipped[index].messageKey)
    const skipped = state.skipped.filter((_, i) => i !== index)
    return { state: { ...state, skipped, pendingInitial: undefined }, plaintext }
  }

  // 2. The current receiving chain.
  if (state.receivingRatchetKey && equalBytes(ratchetKey, state.receivingRatchetKey)) {
    if (messageNumber < state.receivingCount) fail('protocol/replay', 'duplicate message')
    if (messageNumber - state.receivingCount > MAX_SKIP) {
      fail('protocol/too-many-skipped', 'message number too far ahead')
    }
    const added: SkippedMessageKey[] = []
    const chainKey = skipKeys(
      sym,
      ratchetKey,
      state.receivingChainKey!,
      state.receivingCount,
      messageNumber,
      added,
    )
    const step = kdfChainKey(chainKey, sym)
    const plaintext = openWith(sym, state, message, step.messageKey)
    return {
      state: {
        ...state,
        receivingChainKey: step.chainKey,
        receivingCount: messageNumber + 1,
        skipped: boundSkipped(state.skipped, added),
        pendingInitial: undefined,
      },
      plaintext,
    }
  }

  // 3. A chain we have already moved past: whatever it carries was delivered or is forged.
  if (state.previousReceivingKeys.some((k) => equalBytes(k, ratchetKey))) {
    fail('protocol/replay', 'message from a finished chain')
  }

  // 4. A new ratchet key: the receiving half of a DH ratchet step (spec DHRatchet).
  const oldChainSkip = state.receivingChainKey
    ? Math.max(0, previousChainLength - state.receivingCount)
    : 0
  if (
    oldChainSkip > MAX_SKIP || messageNumber > MAX_SKIP || oldChainSkip + messageNumber > MAX_SKIP
  ) {
    fail('protocol/too-many-skipped', 'message number too far ahead')
  }
  const added: SkippedMessageKey[] = []
  if (state.receivingChainKey && state.receivingRatchetKey) {
    skipKeys(
      sym,
      state.receivingRatchetKey,
      state.receivingChainKey,
      state.receivingCount,
      state.receivingCount + oldChainSkip,
      added,
    )
  }
  const dhOutput = await provider.dh(state.sendingRatchetKey, ratchetKey)
  const root = kdfRootKey(state.rootKey, dhOutput, sym)
  dhOutput.fill(0)
  const chainKey = skipKeys(sym, ratchetKey, root.chainKey, 0, messageNumber, added)
  const step = kdfChainKey(chainKey, sym)
  const plaintext = openWith(sym, state, message, step.messageKey)
  const previousReceivingKeys = state.receivingRatchetKey
    ? [...state.previousReceivingKeys, state.receivingRatchetKey].slice(
      -MAX_PREVIOUS_RECEIVING_KEYS,
    )
    : state.previousReceivingKeys
  return {
    state: {
      ...state,
      rootKey: root.rootKey,
      receivingRatchetKey: ratchetKey,
      receivingChainKey: step.chainKey,
      receivingCount: messageNumber + 1,
      // The sending half of this step happens at the next encrypt (ratchet-encrypt.ts).
      sendingChainKey: undefined,
      previousSendingCount: state.sendingCount,
      sendingCount: 0,
      skipped: boundSkipped(state.skipped, added),
      previousReceivingKeys,
      pendingInitial: undefined,
    },
    plaintext,
  }
}
