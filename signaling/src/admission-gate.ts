// The seams between the worker and crypto/membership: admission and the org log, as interfaces.

/** A device that passed admission; kept on its connection for later re-checks. */
export interface AdmittedDevice {
  /** Lowercase hex of the 16-byte device id. */
  deviceId: string
  userId: string
  /** Credential expiry, ms since epoch: the connection closes with `expired` at this time. */
  notAfter: number
  credential: Uint8Array
  /** Lowercase hex sha256 of the device certificate (how the org log names it). */
  certificateHash: string
}

export interface AdmissionGate {
  /** Verifies a challenge answer. Rejects with a ConchError (membership/*, crypto/*, codec/*). */
  admit(
    credential: Uint8Array,
    challenge: Uint8Array,
    signature: Uint8Array,
    now: number,
  ): Promise<AdmittedDevice>
  /**
   * Re-checks an admitted device against the current org state (revocation, voided issue); throws
   * like `admit`. Called for every connection on every org-log change, so it must be cheap.
   */
  recheck(device: AdmittedDevice, now: number): void
}

/** The org log as the worker serves it: opaque bundles in, opaque bundles out. */
export interface OrgLogService {
  /** Current DAG heads, lowercase hex, sorted. */
  heads(): string[]
  size(): number
  /** encodeLogBundle of every entry not below `heads` (all entries when `heads` is empty). */
  bundleSince(heads: string[]): Uint8Array
  /** Verifies and stores a bundle; throws ConchError (membership/bad-log, codec/*) on refusal. */
  acceptBundle(body: Uint8Array): Promise<{ accepted: Uint8Array; count: number; heads: string[] }>
  /** Called after entries were accepted here or on another instance. */
  onChange(listener: (accepted: Uint8Array, heads: string[]) => void): void
}
