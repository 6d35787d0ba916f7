// The prekey directory in the org log: each device's X3DH signed prekey, signed by the device
// itself, so a colleague it never met can start a session while it is away (X3DH spec §3.2,
// docs/protocol/membership.md §6, §9 rule 6).

import { toHex } from '../codec/bytes.ts'
import { sign, verify } from '../primitives/ed25519.ts'
import {
  MAX_PREKEY_ID,
  type PrekeyBundle,
  SIGNED_PREKEY_CONTEXT,
  signedPreKeyPayload,
} from '../x3dh/prekey-bundle.ts'
import type { LogEntryBody } from './log-entry-body.ts'
import type { LogEntry } from './log-entry.ts'
import type { DeviceIdentity, OrgState } from './org-state.ts'

type PublishPrekey = Extract<LogEntryBody, { type: 'publish-prekey' }>

/**
 * The X3DH signed-prekey signature, made synchronously with a raw signing key: byte-identical to
 * crypto/x3dh createSignedPreKey's (Ed25519 is deterministic, the label and payload are shared).
 */
export function signPrekey(
  signingSecretKey: Uint8Array,
  identityDhPublicKey: Uint8Array,
  prekeyId: number,
  prekey: Uint8Array,
): Uint8Array {
  if (!Number.isInteger(prekeyId) || prekeyId < 0 || prekeyId > MAX_PREKEY_ID) {
    throw new RangeError('prekey id')
  }
  return sign(
    signingSecretKey,
    SIGNED_PREKEY_CONTEXT,
    signedPreKeyPayload(identityDhPublicKey, prekeyId, prekey),
  )
}

/** Per decoded entry: the identity it was checked against and the result. */
const checked = new WeakMap<LogEntry, { signer: string; ok: boolean }>()

type SignerKeys = Pick<DeviceIdentity, 'signingPublicKey' | 'identityDhPublicKey'>

const signerOf = (d: SignerKeys) => toHex(d.signingPublicKey) + toHex(d.identityDhPublicKey)

/** Seeds the memo with a result computed elsewhere (preverify-log.ts, a strict native verifier). */
export function rememberPrekeySignature(entry: LogEntry, device: SignerKeys, ok: boolean): void {
  checked.set(entry, { signer: signerOf(device), ok })
}

/**
 * True when the entry's signed-prekey signature verifies against `device`'s certified identity
 * (its Ed25519 key over its own X25519 identity key, id and prekey) — what a peer's
 * verifySignedPreKey checks before X3DH. Memoised: the reducer meets the same entries often.
 */
export function prekeySignatureValid(entry: LogEntry, device: SignerKeys): boolean {
  const body = entry.body
  if (body.type !== 'publish-prekey') return false
  const signer = signerOf(device)
  const memo = checked.get(entry)
  if (memo && memo.signer === signer) return memo.ok
  const ok = verify(
    device.signingPublicKey,
    SIGNED_PREKEY_CONTEXT,
    signedPreKeyPayload(device.identityDhPublicKey, body.prekeyId, body.prekey),
    body.signature,
  )
  checked.set(entry, { signer, ok })
  return ok
}

/** The body a device publishes for its signed prekey. */
export function publishPrekeyBody(
  prekeyId: number,
  prekey: Uint8Array,
  signature: Uint8Array,
): PublishPrekey {
  return { type: 'publish-prekey', prekeyId, prekey, signature }
}

/**
 * The X3DH bundle of an active device, from the directory alone (no one-time prekey): the
 * identity is the device certificate's, never a claim of the entry. Undefined when the device
 * has published none, or is revoked. The reducer has checked the signature (rule 6); a caller
 * that distrusts its state may check again with verifySignedPreKey.
 */
export function directoryBundle(state: OrgState, deviceHex: string): PrekeyBundle | undefined {
  const record = state.prekeys.get(deviceHex)
  const device = state.devices.get(deviceHex)
  if (!record || !device || state.revokedDevices.has(deviceHex)) return undefined
  return {
    identity: { signingKey: device.signingPublicKey, dhKey: device.identityDhPublicKey },
    signedPreKeyId: record.prekeyId,
    signedPreKey: record.prekey,
    signedPreKeySignature: record.signature,
    oneTimePreKey: undefined,
  }
}
