// The org-log entry that publishes this device's signed prekey in the directory, when the
// directory does not list it yet (docs/protocol/membership.md §6): pure, the clock passed in.

import { equalBytes, toHex } from '../../crypto/codec/bytes.ts'
import { appendOrgEntry } from '../../crypto/membership/issue-device.ts'
import type { LogEntry } from '../../crypto/membership/log-entry.ts'
import { isDeviceActive, type OrgState } from '../../crypto/membership/org-state.ts'
import { publishPrekeyBody } from '../../crypto/membership/prekey-directory.ts'
import type { IdentityKeyPair } from '../../crypto/x3dh/identity.ts'
import type { SignedPreKey } from '../../crypto/x3dh/prekey-bundle.ts'

export interface PrekeyPublisherKeys {
  deviceId: Uint8Array
  identity: IdentityKeyPair
  signedPreKey: SignedPreKey
}

/**
 * Why nothing needs publishing, or undefined when an entry should be posted: the device must be
 * issued (its certificate carrying exactly these keys) and active, and the directory must not
 * already list this signed prekey or a newer one (ids only grow: the log would refuse it).
 */
export function prekeyPublicationBlocker(
  state: OrgState,
  keys: PrekeyPublisherKeys,
): 'not-issued' | 'revoked' | 'listed' | 'newer-listed' | undefined {
  const me = toHex(keys.deviceId)
  const device = state.devices.get(me)
  if (
    !device || !equalBytes(device.signingPublicKey, keys.identity.signing.publicKey) ||
    !equalBytes(device.identityDhPublicKey, keys.identity.dh.publicKey)
  ) return 'not-issued'
  if (!isDeviceActive(state, me)) return 'revoked'
  const listed = state.prekeys.get(me)
  if (!listed) return undefined
  if (
    listed.prekeyId === keys.signedPreKey.id &&
    equalBytes(listed.prekey, keys.signedPreKey.keyPair.publicKey)
  ) return 'listed'
  return listed.prekeyId >= keys.signedPreKey.id ? 'newer-listed' : undefined
}

/**
 * The `publish-prekey` entry for this device's current signed prekey, signed by its device key on
 * top of the state's heads; undefined when there is nothing to publish.
 */
export function prekeyPublication(
  state: OrgState,
  keys: PrekeyPublisherKeys,
  now: number,
): LogEntry | undefined {
  if (prekeyPublicationBlocker(state, keys) !== undefined) return undefined
  const spk = keys.signedPreKey
  return appendOrgEntry(
    state,
    keys.identity.signing.secretKey,
    publishPrekeyBody(spk.id, spk.keyPair.publicKey, spk.signature),
    now,
  )
}
