// AdmissionGate backed by crypto/membership: verifyAdmission against the org log's current state,
// with verified credentials cached per org state so a reconnect storm costs one verify each.

import { toHex } from '../../crypto/codec/bytes.ts'
import {
  ADMISSION_CONTEXT,
  admissionMessage,
  decodeCredential,
  type DeviceIdentity,
  type OrgAnchor,
  type OrgState,
  verifyAdmission,
  verifyCredential,
} from '../../crypto/membership/index.ts'
import { sha256 } from '../../crypto/primitives/kdf.ts'
import { verify } from '../../crypto/primitives/ed25519.ts'
import { fail } from '../../crypto/errors/conch-error.ts'
import type { CryptoProvider } from '../../crypto/provider/crypto-provider.ts'
import { verifyLabelled } from '../../crypto/provider/labelled.ts'
import type { AdmissionGate, AdmittedDevice } from './admission-gate.ts'
import type { MembershipOrgLog } from './membership-org-log.ts'

const MAX_CACHED = 100_000

interface Verified {
  identity: DeviceIdentity
  /** The window in which every certificate of the chain is valid. */
  notBefore: number
  /** One frozen answer per credential, shared by all of that device's connections. */
  device: AdmittedDevice
}

export class MembershipGate implements AdmissionGate {
  private cache = new Map<string, Verified>()
  private cachedFor: OrgState | undefined

  /**
   * `provider`: a native Ed25519 engine (crypto/provider) for the per-connection signature;
   * without one, noble verifies everything synchronously.
   */
  constructor(
    private readonly anchor: OrgAnchor,
    private readonly log: MembershipOrgLog,
    private readonly provider?: CryptoProvider,
  ) {}

  async admit(
    credential: Uint8Array,
    challenge: Uint8Array,
    signature: Uint8Array,
    now: number,
  ): Promise<AdmittedDevice> {
    const state = this.log.state
    if (this.cachedFor !== state) {
      // Any change of the org log (a revocation above all) invalidates every cached answer.
      this.cache = new Map()
      this.cachedFor = state
    }
    const key = toHex(sha256(credential))
    const hit = this.cache.get(key)
    let verified: Verified
    if (hit && now >= hit.notBefore && now <= hit.device.notAfter) {
      verified = hit
      const message = admissionMessage(this.anchor.orgId, challenge)
      const key = hit.identity.signingPublicKey
      const valid = this.provider
        ? await verifyLabelled(this.provider, key, ADMISSION_CONTEXT, message, signature)
        : verify(key, ADMISSION_CONTEXT, message, signature)
      if (!valid) fail('crypto/bad-signature', 'bad signature')
      // The org log may have changed while the signature was being checked.
      if (this.log.state !== state) verifyCredential(this.anchor, this.log.state, credential, now)
    } else {
      const identity = verifyAdmission(this.anchor, state, credential, challenge, signature, now)
      let notBefore = identity.notBefore
      let notAfter = identity.notAfter
      const decoded = decodeCredential(credential)
      for (const admin of decoded.chain) {
        notBefore = Math.max(notBefore, admin.notBefore)
        notAfter = Math.min(notAfter, admin.notAfter)
      }
      // The connection lives no longer than the shortest certificate in the chain.
      const device: AdmittedDevice = Object.freeze({
        deviceId: toHex(identity.deviceId),
        userId: identity.userId,
        notAfter,
        credential,
        certificateHash: toHex(decoded.device.hash),
      })
      verified = { identity, notBefore, device }
      if (this.cache.size >= MAX_CACHED) this.cache.clear()
      this.cache.set(key, verified)
    }
    return verified.device
  }

  /**
   * The state-dependent half of verifyCredential (crypto/membership/verify-credential.ts): the
   * signatures were checked at admission and cannot change, so a new org state can only revoke
   * the device or its user, or void the entry that issued its certificate. O(1) per connection.
   */
  recheck(device: AdmittedDevice, now: number): void {
    const state = this.log.state
    if (state.revokedDevices.has(device.deviceId) || state.revokedUsers.has(device.userId)) {
      fail('membership/revoked', 'device revoked')
    }
    if (state.certificates.get(device.certificateHash) !== device.deviceId) {
      fail('membership/untrusted', 'certificate not issued in the org log')
    }
    if (now > device.notAfter) fail('membership/expired', 'certificate expired')
  }
}
