// The sender-key distribution message (libsignal SKDM): how a device hands its chain for
// (channel, epoch) to one other member, inside their pairwise session. Wire grammar
// (docs/protocol/crypto.md §distribution-message):
//   u8 version(1) | bytes channelId | varuint epoch | bytes deviceId | varuint iteration
//   | fixed32 chainKey | fixed32 signingPublicKey

import { equalBytes } from '../codec/bytes.ts'
import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { isStrictEd25519PublicKey } from '../provider/ed25519-strict.ts'
import { MAX_CHAIN_COUNTER } from '../ratchet/ratchet-message.ts'
import { readChainId, type SenderChainState, writeChainId } from './sender-chain.ts'

export const DISTRIBUTION_MESSAGE_VERSION = 1

/** The distribution of our chain at its current iteration (later messages only). */
export function encodeDistributionMessage(own: SenderChainState): Uint8Array {
  const w = new Writer(200).u8(DISTRIBUTION_MESSAGE_VERSION)
  writeChainId(w, own)
  return w.varuint(own.iteration).fixed(own.chainKey, 32, 'chainKey')
    .fixed(own.signingPublicKey, 32, 'signingPublicKey').finish()
}

/** Decodes a distribution message into a receiving chain (no secret signing key). */
export function decodeDistributionMessage(bytes: Uint8Array): SenderChainState {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  if (r.u8() !== DISTRIBUTION_MESSAGE_VERSION) fail('codec/bad-version', 'distribution version')
  const id = readChainId(r)
  const iteration = r.varuint(MAX_CHAIN_COUNTER)
  const chainKey = r.fixed(32)
  const signingPublicKey = r.fixed(32)
  r.end()
  if (!isStrictEd25519PublicKey(signingPublicKey)) fail('crypto/bad-key', 'signing key')
  return { ...id, iteration, chainKey, signingPublicKey, signingSecretKey: undefined, skipped: [] }
}

/**
 * Accepts a distribution message that arrived over the pairwise session with `sessionDevice`.
 * A chain is only ever taken from the device it belongs to: a message naming any other device
 * (Bob forwarding "Carol's" chain) is `protocol/wrong-sender`. The caller still checks that
 * `sessionDevice` is a member of the channel in the org state it holds.
 */
export function processDistribution(
  sessionDevice: Uint8Array,
  bytes: Uint8Array,
): SenderChainState {
  const chain = decodeDistributionMessage(bytes)
  if (!equalBytes(chain.deviceId, sessionDevice)) {
    fail('protocol/wrong-sender', 'distribution for another device')
  }
  return chain
}
