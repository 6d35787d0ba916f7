// Which colleagues' devices this device has verified, and with which identity keys: kept in local
// storage, never sent anywhere. A record names the peer's keys, so a changed key un-verifies.

import { type Accessor, createSignal } from 'solid-js'
import { toHex } from '../../../crypto/codec/bytes.ts'
import type { VerifiableIdentity } from './safety-number.ts'

export const VERIFIED_RECORD = 'conch-verified-devices'
/** Bounds a damaged or hostile record; an org's devices stay far below this. */
const MAX_RECORDS = 10_000

/** How the safety number was confirmed: a scanned QR code, or digits compared by eye. */
export type VerificationMethod = 'scanned' | 'compared'

export interface VerifiedRecord {
  /** Hex of the peer's signing key then identity DH key, as verified. */
  key: string
  method: VerificationMethod
  /** Milliseconds since the epoch. */
  at: number
}

/** Peer device id (hex) to its record. */
export type VerifiedRecords = Readonly<Record<string, VerifiedRecord>>

type Peer = VerifiableIdentity & { device: string }

export function identityKeyHex(peer: VerifiableIdentity): string {
  return toHex(peer.signingPublicKey) + toHex(peer.identityDhPublicKey)
}

/** Verified only while the peer still has exactly the keys that were verified. */
export function isVerified(records: VerifiedRecords, peer: Peer): boolean {
  const r = Object.hasOwn(records, peer.device) ? records[peer.device] : undefined
  return r !== undefined && r.key === identityKeyHex(peer)
}

export function markVerified(
  records: VerifiedRecords,
  peer: Peer,
  method: VerificationMethod,
  now: number,
): VerifiedRecords {
  return { ...records, [peer.device]: { key: identityKeyHex(peer), method, at: now } }
}

export function clearVerified(records: VerifiedRecords, peer: Peer): VerifiedRecords {
  const next = { ...records }
  delete next[peer.device]
  return next
}

/** Parses the stored JSON, keeping only well-formed records; damage means "nothing verified". */
export function parseVerifiedRecords(text: string | null): VerifiedRecords {
  const out: Record<string, VerifiedRecord> = {}
  let v: unknown
  try {
    v = JSON.parse(text ?? '{}')
  } catch {
    return out
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out
  for (const [device, r] of Object.entries(v).slice(0, MAX_RECORDS)) {
    if (!/^[0-9a-f]{32}$/.test(device) || typeof r !== 'object' || r === null) continue
    const { key, method, at } = r as Record<string, unknown>
    if (typeof key !== 'string' || !/^[0-9a-f]{128}$/.test(key)) continue
    if (method !== 'scanned' && method !== 'compared') continue
    if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0) continue
    out[device] = { key, method, at }
  }
  return out
}

export interface VerifiedDevicesStore {
  records: Accessor<VerifiedRecords>
  isVerified(peer: Peer): boolean
  mark(peer: Peer, method: VerificationMethod): void
  clear(peer: Peer): void
}

export function createVerifiedDevicesStore(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  now: () => number = Date.now,
): VerifiedDevicesStore {
  const [records, setRecords] = createSignal(parseVerifiedRecords(storage.getItem(VERIFIED_RECORD)))
  const save = (next: VerifiedRecords) => {
    setRecords(next)
    storage.setItem(VERIFIED_RECORD, JSON.stringify(next))
  }
  return {
    records,
    isVerified: (peer) => isVerified(records(), peer),
    mark: (peer, method) => save(markVerified(records(), peer, method, now())),
    clear: (peer) => save(clearVerified(records(), peer)),
  }
}
