// Typed error codes shared by every layer (STYLE habit 6): callers narrow with `isConchError(e, code)`.

/** Every failure Conch reports has one of these codes. Peer-facing text stays terse. */
export type ConchErrorCode =
  // codec: malformed bytes from anywhere
  | 'codec/truncated'
  | 'codec/trailing-bytes'
  | 'codec/too-long'
  | 'codec/bad-version'
  | 'codec/bad-type'
  | 'codec/bad-value'
  // primitives
  | 'crypto/bad-key'
  | 'crypto/low-order'
  | 'crypto/auth-failed'
  | 'crypto/bad-signature'
  | 'crypto/bad-argument'
  // protocol state machines
  | 'protocol/replay'
  | 'protocol/too-many-skipped'
  | 'protocol/no-session'
  | 'protocol/wrong-sender'
  | 'protocol/wrong-context'
  | 'protocol/unknown-prekey'
  | 'protocol/limit-reached'
  // membership and authority
  | 'membership/untrusted'
  | 'membership/expired'
  | 'membership/not-yet-valid'
  | 'membership/revoked'
  | 'membership/forbidden'
  | 'membership/foreign-org'
  | 'membership/bad-log'
  // storage and I/O
  | 'storage/corrupt'
  | 'storage/locked'
  | 'io/failed'

export class ConchError extends Error {
  readonly code: ConchErrorCode
  constructor(code: ConchErrorCode, message: string = code) {
    super(message)
    this.name = 'ConchError'
    this.code = code
  }
  /** Narrowing check in the style of libsignal's `is(code)`. */
  is(code: ConchErrorCode): boolean {
    return this.code === code
  }
}

export function isConchError(e: unknown, code?: ConchErrorCode): e is ConchError {
  return e instanceof ConchError && (code === undefined || e.code === code)
}

/** Throw a typed error; keeps call sites one line long. */
export function fail(code: ConchErrorCode, message?: string): never {
  throw new ConchError(code, message)
}
