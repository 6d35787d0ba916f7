// Versioned binary form of a RatchetState (docs/protocol/crypto.md §session-state), so replay
// protection survives a restart: decode(encode(s)) equals s, and any malformed input is typed.

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import { readPublicIdentity, writePublicIdentity } from '../x3dh/identity.ts'
import { MAX_CHAIN_COUNTER } from './ratchet-message.ts'
import {
  MAX_PREVIOUS_RECEIVING_KEYS,
  MAX_SKIPPED_KEYS,
  type RatchetState,
  type SkippedMessageKey,
} from './ratchet-state.ts'

export const SESSION_STATE_VERSION = 1

const HAS_RECEIVING_RATCHET_KEY = 1
const HAS_SENDING_CHAIN = 2
const HAS_RECEIVING_CHAIN = 4
const HAS_PENDING_INITIAL = 8
const HAS_ONE_TIME_PREKEY = 16
const KNOWN_FLAGS = 31

export function encodeRatchetState(s: RatchetState): Uint8Array {
  const w = new Writer(400 + s.skipped.length * 72)
  let flags = 0
  if (s.receivingRatchetKey) flags |= HAS_RECEIVING_RATCHET_KEY
  if (s.sendingChainKey) flags |= HAS_SENDING_CHAIN
  if (s.receivingChainKey) flags |= HAS_RECEIVING_CHAIN
  if (s.pendingInitial) flags |= HAS_PENDING_INITIAL
  if (s.pendingInitial?.oneTimePreKeyId !== undefined) flags |= HAS_ONE_TIME_PREKEY
  w.u8(SESSION_STATE_VERSION)
  w.u8(s.role === 'initiator' ? 0 : 1)
  w.u8(flags)
  writePublicIdentity(w, s.localIdentity)
  writePublicIdentity(w, s.remoteIdentity)
  w.fixed(s.baseKey, 32, 'baseKey')
  w.fixed(s.rootKey, 32, 'rootKey')
  w.fixed(s.sendingRatchetKey.secretKey, 32, 'sendingRatchetKey.secretKey')
  w.fixed(s.sendingRatchetKey.publicKey, 32, 'sendingRatchetKey.publicKey')
  if (s.receivingRatchetKey) w.fixed(s.receivingRatchetKey, 32, 'receivingRatchetKey')
  if (s.sendingChainKey) w.fixed(s.sendingChainKey, 32, 'sendingChainKey')
  if (s.receivingChainKey) w.fixed(s.receivingChainKey, 32, 'receivingChainKey')
  w.varuint(s.sendingCount).varuint(s.receivingCount).varuint(s.previousSendingCount)
  if (s.pendingInitial) {
    w.varuint(s.pendingInitial.signedPreKeyId)
    if (s.pendingInitial.oneTimePreKeyId !== undefined) {
      w.varuint(s.pendingInitial.oneTimePreKeyId)
    }
  }
  w.varuint(s.skipped.length)
  for (const k of s.skipped) {
    w.fixed(k.ratchetKey, 32, 'skipped.ratchetKey').varuint(k.messageNumber)
    w.fixed(k.messageKey, 32, 'skipped.messageKey')
  }
  w.varuint(s.previousReceivingKeys.length)
  for (const k of s.previousReceivingKeys) w.fixed(k, 32, 'previousReceivingKey')
  return w.finish()
}

export function readRatchetState(r: Reader): RatchetState {
  if (r.u8() !== SESSION_STATE_VERSION) fail('codec/bad-version', 'session state version')
  const roleByte = r.u8()
  if (roleByte > 1) fail('codec/bad-value', 'session role')
  const flags = r.u8()
  if ((flags & ~KNOWN_FLAGS) !== 0) fail('codec/bad-value', 'session flags')
  if ((flags & HAS_ONE_TIME_PREKEY) && !(flags & HAS_PENDING_INITIAL)) {
    fail('codec/bad-value', 'session flags')
  }
  const localIdentity = readPublicIdentity(r)
  const remoteIdentity = readPublicIdentity(r)
  const baseKey = r.fixed(32)
  const rootKey = r.fixed(32)
  const sendingRatchetKey = { secretKey: r.fixed(32), publicKey: r.fixed(32) }
  const receivingRatchetKey = flags & HAS_RECEIVING_RATCHET_KEY ? r.fixed(32) : undefined
  const sendingChainKey = flags & HAS_SENDING_CHAIN ? r.fixed(32) : undefined
  const receivingChainKey = flags & HAS_RECEIVING_CHAIN ? r.fixed(32) : undefined
  if (receivingChainKey && !receivingRatchetKey) fail('codec/bad-value', 'chain without key')
  const sendingCount = r.varuint(MAX_CHAIN_COUNTER)
  const receivingCount = r.varuint(MAX_CHAIN_COUNTER)
  const previousSendingCount = r.varuint(MAX_CHAIN_COUNTER)
  let pendingInitial: RatchetState['pendingInitial']
  if (flags & HAS_PENDING_INITIAL) {
    const signedPreKeyId = r.varuint(MAX_CHAIN_COUNTER)
    const oneTimePreKeyId = flags & HAS_ONE_TIME_PREKEY ? r.varuint(MAX_CHAIN_COUNTER) : undefined
    pendingInitial = { signedPreKeyId, oneTimePreKeyId }
  }
  const skippedCount = r.varuint(MAX_SKIPPED_KEYS)
  const skipped: SkippedMessageKey[] = []
  for (let i = 0; i < skippedCount; i++) {
    skipped.push({
      ratchetKey: r.fixed(32),
      messageNumber: r.varuint(MAX_CHAIN_COUNTER),
      messageKey: r.fixed(32),
    })
  }
  const previousCount = r.varuint(MAX_PREVIOUS_RECEIVING_KEYS)
  const previousReceivingKeys: Uint8Array[] = []
  for (let i = 0; i < previousCount; i++) previousReceivingKeys.push(r.fixed(32))
  return {
    role: roleByte === 0 ? 'initiator' : 'responder',
    localIdentity,
    remoteIdentity,
    baseKey,
    rootKey,
    sendingRatchetKey,
    receivingRatchetKey,
    sendingChainKey,
    receivingChainKey,
    sendingCount,
    receivingCount,
    previousSendingCount,
    skipped,
    previousReceivingKeys,
    pendingInitial,
  }
}

export function decodeRatchetState(bytes: Uint8Array): RatchetState {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  const state = readRatchetState(r)
  r.end()
  return state
}
