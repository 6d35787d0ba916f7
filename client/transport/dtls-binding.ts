// WebRTC channel binding: the DTLS certificate fingerprints of both ends, read from the SDPs.
// DTLS proves each end holds the certificate its SDP names; signing both fingerprints inside the
// channel means a signaling server that swapped SDPs (a man in the middle) cannot relay a proof.

import { utf8 } from '../../crypto/codec/bytes.ts'
import { sha256 } from '../../crypto/primitives/kdf.ts'
import type { LinkBinding } from './peer-link.ts'

const FINGERPRINT_LINE = /^a=fingerprint:(\S+)\s+([0-9A-Fa-f:]+)\s*$/gm

/**
 * SHA-256 over the SDP's fingerprint lines, normalized (`alg HEX`, lowercase algorithm, uppercase
 * hex without colons), deduplicated, sorted and joined with '\n'. Undefined when there is none.
 */
export function sdpFingerprintDigest(sdp: string): Uint8Array | undefined {
  const lines = new Set<string>()
  for (const m of sdp.matchAll(FINGERPRINT_LINE)) {
    lines.add(`${m[1].toLowerCase()} ${m[2].replaceAll(':', '').toUpperCase()}`)
  }
  if (lines.size === 0) return undefined
  return sha256(utf8([...lines].sort().join('\n')))
}

/** Binding for a connected RTCPeerConnection (both descriptions set); undefined if unreadable. */
export function dtlsBinding(
  pc: { localDescription: { sdp: string } | null; remoteDescription: { sdp: string } | null },
): LinkBinding | undefined {
  const local = pc.localDescription && sdpFingerprintDigest(pc.localDescription.sdp)
  const remote = pc.remoteDescription && sdpFingerprintDigest(pc.remoteDescription.sdp)
  return local && remote ? { local, remote } : undefined
}
