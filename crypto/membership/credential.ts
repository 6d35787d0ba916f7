// A device's credential: its device certificate plus the admin certificate(s) chaining it to the
// org root (docs/protocol/membership.md §8).

import { Reader } from '../codec/reader.ts'
import { Writer } from '../codec/writer.ts'
import { fail } from '../errors/conch-error.ts'
import {
  type AdminCertificate,
  decodeAdminCertificate,
  MAX_CERTIFICATE_BYTES,
} from './admin-certificate.ts'
import { decodeDeviceCertificate, type DeviceCertificate } from './device-certificate.ts'

export const CREDENTIAL_VERSION = 1
/** root -> admin -> device is one link; the bound leaves room for delegated (SSO) admins. */
export const MAX_CHAIN_LENGTH = 4

export interface Credential {
  device: DeviceCertificate
  /** Admin certificates from the device's issuer up towards the root; empty if root issued it. */
  chain: AdminCertificate[]
}

export function encodeCredential(cred: Credential): Uint8Array {
  if (cred.chain.length > MAX_CHAIN_LENGTH) throw new RangeError('chain too long')
  const w = new Writer(512).u8(CREDENTIAL_VERSION).bytes(cred.device.bytes).u8(cred.chain.length)
  for (const c of cred.chain) w.bytes(c.bytes)
  return w.finish()
}

export function decodeCredential(bytes: Uint8Array): Credential {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  if (r.u8() !== CREDENTIAL_VERSION) fail('codec/bad-version', 'unknown credential version')
  const device = decodeDeviceCertificate(r.bytes(MAX_CERTIFICATE_BYTES))
  const n = r.u8()
  if (n > MAX_CHAIN_LENGTH) fail('codec/too-long', 'chain too long')
  const chain: AdminCertificate[] = []
  for (let i = 0; i < n; i++) chain.push(decodeAdminCertificate(r.bytes(MAX_CERTIFICATE_BYTES)))
  r.end()
  return { device, chain }
}
