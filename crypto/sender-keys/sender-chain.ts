// A Sender Keys chain (libsignal sender_keys.rs in spirit): one per (channel, epoch, device),
// a hash ratchet of message keys plus the Ed25519 key that signs every message on it. Plain
// data with a versioned binary form (docs/protocol/crypto.md §sender-chain-state).

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import type { CryptoProvider } from '../provider/crypto-provider.ts'
import { MAX_CHAIN_COUNTER } from '../ratchet/ratchet-message.ts'

export const SENDER_CHAIN_STATE_VERSION = 1
/** Channel and device ids are opaque bytes of at most this length. */
export const MAX_ID_LENGTH = 64
/** Furthest one message may move a receiver's chain forward (libsignal MAX_FORWARD_JUMPS). */
export const MAX_SENDER_JUMP = 25_000
/** Most skipped message keys kept per chain; the oldest are evicted. */
export const MAX_SENDER_SKIPPED = 2000

export interface SenderChainId {
  channelId: Uint8Array
  epoch: number
  deviceId: Uint8Array
}

export interface SenderChainState extends SenderChainId {
  /** Index of the next message key the chain key yields. */
  iteration: number
  chainKey: Uint8Array
  signingPublicKey: Uint8Array
  /** Present only on the sender's own chain. */
  signingSecretKey: Uint8Array | undefined
  /** Keys of iterations skipped over, oldest first. */
  skipped: readonly { iteration: number; messageKey: Uint8Array }[]
}

export function assertChainId(id: SenderChainId): void {
  if (!(id.channelId instanceof Uint8Array) || id.channelId.length > MAX_ID_LENGTH) {
    fail('crypto/bad-argument', 'channel id')
  }
  if (!(id.deviceId instanceof Uint8Array) || id.deviceId.length > MAX_ID_LENGTH) {
    fail('crypto/bad-argument', 'device id')
  }
  if (!Number.isSafeInteger(id.epoch) || id.epoch < 0) fail('crypto/bad-argument', 'epoch')
}

/** A fresh chain for our own messages in (channel, epoch): new chain key, new signing key. */
export async function createSenderChain(
  provider: CryptoProvider,
  id: SenderChainId,
): Promise<SenderChainState> {
  assertChainId(id)
  const signing = await provider.generateSigningKeyPair()
  return {
    channelId: id.channelId.slice(),
    epoch: id.epoch,
    deviceId: id.deviceId.slice(),
    iteration: 0,
    chainKey: provider.randomBytes(32),
    signingPublicKey: signing.publicKey,
    signingSecretKey: signing.secretKey,
    skipped: [],
  }
}

export function writeChainId(w: Writer, id: SenderChainId): void {
  w.bytes(id.channelId).varuint(id.epoch).bytes(id.deviceId)
}

export function readChainId(r: Reader): SenderChainId {
  return {
    channelId: r.bytes(MAX_ID_LENGTH),
    epoch: r.varuint(),
    deviceId: r.bytes(MAX_ID_LENGTH),
  }
}

export function encodeSenderChainState(s: SenderChainState): Uint8Array {
  const w = new Writer(200 + s.skipped.length * 40).u8(SENDER_CHAIN_STATE_VERSION)
  writeChainId(w, s)
  w.varuint(s.iteration).fixed(s.chainKey, 32, 'chainKey')
  w.fixed(s.signingPublicKey, 32, 'signingPublicKey')
  if (s.signingSecretKey) w.u8(1).fixed(s.signingSecretKey, 32, 'signingSecretKey')
  else w.u8(0)
  w.varuint(s.skipped.length)
  for (const k of s.skipped) w.varuint(k.iteration).fixed(k.messageKey, 32, 'messageKey')
  return w.finish()
}

export function decodeSenderChainState(bytes: Uint8Array): SenderChainState {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  if (r.u8() !== SENDER_CHAIN_STATE_VERSION) fail('codec/bad-version', 'sender chain version')
  const id = readChainId(r)
  const iteration = r.varuint(MAX_CHAIN_COUNTER)
  const chainKey = r.fixed(32)
  const signingPublicKey = r.fixed(32)
  const has = r.u8()
  if (has > 1) fail('codec/bad-value', 'signing secret flag')
  const signingSecretKey = has ? r.fixed(32) : undefined
  const count = r.varuint(MAX_SENDER_SKIPPED)
  const skipped = []
  for (let i = 0; i < count; i++) {
    skipped.push({ iteration: r.varuint(MAX_CHAIN_COUNTER), messageKey: r.fixed(32) })
  }
  r.end()
  return { ...id, iteration, chainKey, signingPublicKey, signingSecretKey, skipped }
}
