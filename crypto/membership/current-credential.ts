// A device's up-to-date credential rebuilt from the org state: its latest certificate (issue or
// renewal) plus its issuer's admin certificate. Renewals reach a device through the log itself,
// so an admin can renew every device without handing out files.

import { equalBytes, toHex } from '../codec/bytes.ts'
import { fail } from '../errors/conch-error.ts'
import { type Credential, encodeCredential } from './credential.ts'
import type { OrgState } from './org-state.ts'

export function currentCredential(state: OrgState, deviceIdHex: string): Credential {
  const device = state.devices.get(deviceIdHex)
  if (!device) fail('membership/untrusted', 'device not in the org log')
  const cert = device.certificate
  if (equalBytes(cert.issuer, state.anchor.rootPublicKey)) return { device: cert, chain: [] }
  const admin = state.admins.get(toHex(cert.issuer))
  if (!admin) fail('membership/untrusted', 'issuer was never appointed in the org log')
  return { device: cert, chain: [admin.certificate] }
}

export function currentCredentialBytes(state: OrgState, deviceIdHex: string): Uint8Array {
  return encodeCredential(currentCredential(state, deviceIdHex))
}
