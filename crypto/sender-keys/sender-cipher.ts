// Encrypt and decrypt on a Sender Keys chain, pure: (chain, input) -> (chain', output).
// Decrypt checks, in order and before deriving any key: the (channel, epoch, device) the chain
// belongs to, replay, the jump bound, then the signature over the ciphertext.

import { equalBytes } from '../codec/bytes.ts'
import { ConchError, fail } from '../errors/conch-error.ts'
import { nobleSymmetric, type SymmetricPrimitives } from '../provider/symmetric.ts'
import type { CryptoProvider } from '../provider/crypto-provider.ts'
import { signLabelled, verifyLabelled, verifyLabelledMany } from '../provider/labelled.ts'
import { encodeAssociatedData } from '../ratchet/associated-data.ts'
import {
  expandMessageKey,
  kdfChainKey,
  SENDER_KEYS_MESSAGE_KEYS_INFO,
} from '../ratchet/chain-kdf.ts'
import { MAX_CHAIN_COUNTER } from '../ratchet/ratchet-message.ts'
import {
  MAX_SENDER_JUMP,
  MAX_SENDER_SKIPPED,
  type SenderChainId,
  type SenderChainState,
} from './sender-chain.ts'
import {
  decodeSenderKeyMessage,
  encodeSenderKeyHeader,
  encodeSignedBody,
  MAX_CHANNEL_PLAINTEXT,
  type SenderKeyMessage,
} from './sender-key-message.ts'

export const SENDER_KEY_SIGNATURE_CONTEXT = 'sender-keys/message'
const AD_CONTEXT = 'sender-keys/message'

const NO_CONTEXT = new Uint8Array(0)

/** AD = bytes(label) | bytes(header) | bytes(caller context, e.g. the sync envelope header). */
function associatedData(headerBytes: Uint8Array, context: Uint8Array): Uint8Array {
  return encodeAssociatedData(AD_CONTEXT, [headerBytes, context])
}

function sameChain(a: SenderChainId, b: SenderChainId): boolean {
  return a.epoch === b.epoch && equalBytes(a.channelId, b.channelId) &&
    equalBytes(a.deviceId, b.deviceId)
}

export interface SenderEncryptResult {
  state: SenderChainState
  message: Uint8Array
}

export interface SenderEncryptOptions {
  /**
   * Extra associated data bound into the AEAD (not sent), such as the caller's own envelope
   * header; the receiver must pass the same bytes.
   */
  context?: Uint8Array
}

/** Encrypts and signs one channel message. */
export async function senderEncrypt(
  provider: CryptoProvider,
  state: SenderChainState,
  plaintext: Uint8Array,
  options: SenderEncryptOptions = {},
): Promise<SenderEncryptResult> {
  const context = options.context ?? NO_CONTEXT
  if (!state.signingSecretKey) fail('crypto/bad-argument', 'not our own chain')
  if (plaintext.length > MAX_CHANNEL_PLAINTEXT) fail('crypto/bad-argument', 'plaintext too long')
  if (state.iteration >= MAX_CHAIN_COUNTER) fail('protocol/limit-reached', 'chain exhausted')
  const sym = provider.symmetric ?? nobleSymmetric
  const step = kdfChainKey(state.chainKey, sym)
  const headerBytes = encodeSenderKeyHeader(state, state.iteration)
  const { key, nonce } = expandMessageKey(step.messageKey, SENDER_KEYS_MESSAGE_KEYS_INFO, sym)
  const ciphertext = sym.seal(key, nonce, plaintext, associatedData(headerBytes, context))
  key.fill(0)
  step.messageKey.fill(0)
  const body = encodeSignedBody(headerBytes, ciphertext)
  const signature = await signLabelled(
    provider,
    { secretKey: state.signingSecretKey, publicKey: state.signingPublicKey },
    SENDER_KEY_SIGNATURE_CONTEXT,
    body,
  )
  const message = new Uint8Array(body.length + 64)
  message.set(body)
  message.set(signature, body.length)
  return {
    state: { ...state, chainKey: step.chainKey, iteration: state.iteration + 1 },
    message,
  }
}

/** Authorship check any holder of the sender's public signing key can run (relays included). */
export function verifySenderKeyMessage(
  provider: CryptoProvider,
  signingPublicKey: Uint8Array,
  message: SenderKeyMessage,
): Promise<boolean> {
  return verifyLabelled(
    provider,
    signingPublicKey,
    SENDER_KEY_SIGNATURE_CONTEXT,
    message.signedBytes,
    message.signature,
  )
}

export interface SenderDecryptResult {
  state: SenderChainState
  plaintext: Uint8Array
}

export interface SenderDecryptOptions {
  /**
   * Skip the per-message signature check because the caller has already authenticated these
   * exact bytes another way: client/sync verifies one device signature per author and batch and
   * follows the envelopes' hash chain back (docs/protocol/client.md §Envelope). Never set it for
   * bytes that were not authenticated.
   */
  authenticatedByCaller?: boolean
  /** The associated data the sender passed as `context`. */
  context?: Uint8Array
}

export async function senderDecrypt(
  provider: CryptoProvider,
  state: SenderChainState,
  bytes: Uint8Array,
  options: SenderDecryptOptions = {},
): Promise<SenderDecryptResult> {
  const message = decodeSenderKeyMessage(bytes)
  if (!sameChain(message, state)) fail('protocol/wrong-context', 'message for another chain')
  const skippedIndex = message.iteration < state.iteration
    ? state.skipped.findIndex((k) => k.iteration === message.iteration)
    : -1
  if (message.iteration < state.iteration && skippedIndex < 0) {
    fail('protocol/replay', 'duplicate message')
  }
  if (message.iteration - state.iteration > MAX_SENDER_JUMP) {
    fail('protocol/too-many-skipped', 'iteration too far ahead')
  }
  if (
    !options.authenticatedByCaller &&
    !(await verifySenderKeyMessage(provider, state.signingPublicKey, message))
  ) {
    fail('crypto/bad-signature', 'bad signature')
  }
  const sym = provider.symmetric ?? nobleSymmetric
  const ad = associatedData(message.headerBytes, options.context ?? NO_CONTEXT)
  if (skippedIndex >= 0) {
    const plaintext = openWith(sym, state.skipped[skippedIndex].messageKey, message, ad)
    return {
      state: { ...state, skipped: state.skipped.filter((_, i) => i !== skippedIndex) },
      plaintext,
    }
  }
  const added: { iteration: number; messageKey: Uint8Array }[] = []
  let chainKey = state.chainKey
  for (let i = state.iteration; i < message.iteration; i++) {
    const step = kdfChainKey(chainKey, sym)
    added.push({ iteration: i, messageKey: step.messageKey })
    chainKey = step.chainKey
  }
  const step = kdfChainKey(chainKey, sym)
  const plaintext = openWith(sym, step.messageKey, message, ad)
  const all = added.length ? state.skipped.concat(added) : state.skipped
  return {
    state: {
      ...state,
      chainKey: step.chainKey,
      iteration: message.iteration + 1,
      skipped: all.length > MAX_SENDER_SKIPPED ? all.slice(all.length - MAX_SENDER_SKIPPED) : all,
    },
    plaintext,
  }
}

function openWith(
  sym: SymmetricPrimitives,
  messageKey: Uint8Array,
  message: SenderKeyMessage,
  ad: Uint8Array,
): Uint8Array {
  const { key, nonce } = expandMessageKey(messageKey, SENDER_KEYS_MESSAGE_KEYS_INFO, sym)
  try {
    return sym.open(key, nonce, message.ciphertext, ad)
  } finally {
    key.fill(0)
  }
}

export interface SenderDecryptManyResult {
  state: SenderChainState
  /** One entry per input message, in order: its plaintext, or why it was refused. */
  results: ({ plaintext: Uint8Array } | { error: ConchError })[]
}

/**
 * Decrypts a batch from one chain (catch-up after being offline): every signature is checked
 * first, all at once (in parallel on native providers), then each message is decrypted in turn
 * exactly as senderDecrypt would, so each signature is still verified before its keys are
 * derived. A refused message does not stop the others.
 */
export async function senderDecryptMany(
  provider: CryptoProvider,
  state: SenderChainState,
  messages: readonly Uint8Array[],
  options: { context?: Uint8Array } = {},
): Promise<SenderDecryptManyResult> {
  const decoded = messages.map((bytes) => {
    try {
      return decodeSenderKeyMessage(bytes)
    } catch (e) {
      return e instanceof ConchError ? e : new ConchError('codec/bad-value')
    }
  })
  const toVerify = decoded.filter((d): d is SenderKeyMessage => !(d instanceof ConchError))
  const verdicts = await verifyLabelledMany(
    provider,
    SENDER_KEY_SIGNATURE_CONTEXT,
    toVerify.map((m) => ({
      publicKey: state.signingPublicKey,
      message: m.signedBytes,
      signature: m.signature,
    })),
  )
  const verified = new Map(toVerify.map((m, i) => [m, verdicts[i]]))
  const results: SenderDecryptManyResult['results'] = []
  let current = state
  for (const [i, d] of decoded.entries()) {
    if (d instanceof ConchError) {
      results.push({ error: d })
      continue
    }
    if (!verified.get(d)) {
      results.push({ error: new ConchError('crypto/bad-signature', 'bad signature') })
      continue
    }
    try {
      const r = await senderDecrypt(provider, current, messages[i], {
        authenticatedByCaller: true,
        context: options.context,
      })
      current = r.state
      results.push({ plaintext: r.plaintext })
    } catch (e) {
      results.push({ error: e instanceof ConchError ? e : new ConchError('crypto/auth-failed') })
    }
  }
  return { state: current, results }
}
