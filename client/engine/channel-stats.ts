// Counters of one channel engine: diagnostics and benchmarks only, never content or keys.

export type Stage = 'seal' | 'verify' | 'decrypt' | 'validate' | 'apply' | 'persist'

export interface ChannelStats {
  framesIn: number
  framesOut: number
  envelopesSent: number
  envelopesAccepted: number
  envelopesRejected: number
  /** Rejections by reason (malformed, revoked-author, bad-signature, foreign-entry, ...). */
  rejectedByReason: Record<string, number>
  duplicates: number
  /** Envelopes set aside until their author's chain arrives. */
  parked: number
  signatureChecks: number
  directRejected: number
  /** Pairwise messages held here for a device that is not linked (blind mailbox). */
  directHeld: number
  snapshotsAccepted: number
  bytesIn: number
  bytesOut: number
  /** Links (by kind) that delivered accepted envelopes. */
  acceptedVia: Record<string, number>
  /** Cumulative milliseconds per pipeline stage (only with a stage clock). */
  stageMs: Record<Stage, number>
}

export function emptyStats(): ChannelStats {
  return {
    framesIn: 0,
    framesOut: 0,
    envelopesSent: 0,
    envelopesAccepted: 0,
    envelopesRejected: 0,
    rejectedByReason: {},
    duplicates: 0,
    parked: 0,
    signatureChecks: 0,
    directRejected: 0,
    directHeld: 0,
    snapshotsAccepted: 0,
    bytesIn: 0,
    bytesOut: 0,
    acceptedVia: {},
    stageMs: { seal: 0, verify: 0, decrypt: 0, validate: 0, apply: 0, persist: 0 },
  }
}
