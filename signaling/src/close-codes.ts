// WebSocket close codes and reasons the worker uses; docs/protocol/signaling.md lists the same table.

/** Why the worker refused or ended a connection. The reason string is sent as the close reason. */
export type CloseReason =
  | 'bad-frame'
  | 'frame-too-large'
  | 'auth-required'
  | 'auth-timeout'
  | 'foreign-org'
  | 'untrusted'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'bad-signature'
  | 'replay'
  | 'bad-credential'
  | 'too-many-topics'
  | 'bad-topic'
  | 'rate-limited'
  | 'slow-consumer'
  | 'idle'
  | 'shutdown'

/** 4000–4999 is the application range of RFC 6455 §7.4.2; each reason has its own code. */
export const CLOSE_CODES: Readonly<Record<CloseReason, number>> = {
  'bad-frame': 4400,
  'frame-too-large': 4413,
  'auth-required': 4401,
  'auth-timeout': 4408,
  'foreign-org': 4430,
  'untrusted': 4431,
  'expired': 4432,
  'not-yet-valid': 4433,
  'revoked': 4434,
  'bad-signature': 4435,
  'replay': 4436,
  'bad-credential': 4437,
  'too-many-topics': 4440,
  'bad-topic': 4441,
  'rate-limited': 4429,
  'slow-consumer': 4450,
  'idle': 4460,
  'shutdown': 1001,
}

/** Maps a membership/crypto/codec error code to the close reason the client sees. */
export function refusalForErrorCode(code: string | undefined): CloseReason {
  switch (code) {
    case 'membership/foreign-org':
      return 'foreign-org'
    case 'membership/untrusted':
    case 'membership/forbidden':
      return 'untrusted'
    case 'membership/expired':
      return 'expired'
    case 'membership/not-yet-valid':
      return 'not-yet-valid'
    case 'membership/revoked':
      return 'revoked'
    case 'crypto/bad-signature':
    case 'crypto/bad-key':
      return 'bad-signature'
    case 'protocol/replay':
      return 'replay'
    default:
      return 'bad-credential'
  }
}
