// AdmissionGate backed by crypto/membership: verifyAdmission against the org log's current state.

import { toHex } from '../../crypto/codec/bytes.ts'
import {
  decodeCredential,
  type OrgAnchor,
  verifyAdmission,
  verifyCredential,
} from '../../crypto/membership/index.ts'
import type { AdmissionGate, AdmittedDevice } from './admission-gate.ts'
import type { MembershipOrgLog } from './membership-org-log.ts'

export class MembershipGate implements AdmissionGate {
  constructor(private readonly anchor: OrgAnchor, private readonly log: MembershipOrgLog) {}

  admit(
    credential: Uint8Array,
    challenge: Uint8Array,
    signature: Uint8Array,
    now: number,
  ): AdmittedDevice {
    const identity = verifyAdmission(
      this.anchor,
      this.log.state,
      credential,
      challenge,
      signature,
      now,
    )
    // The connection lives no longer than the shortest certificate in the chain.
    let notAfter = identity.notAfter
    for (const admin of decodeCredential(credential).chain) {
      notAfter = Math.min(notAfter, admin.notAfter)
    }
    return { deviceId: toHex(identity.deviceId), userId: identity.userId, notAfter, credential }
  }

  recheck(device: AdmittedDevice, now: number): void {
    verifyCredential(this.anchor, this.log.state, device.credential, now)
  }
}
