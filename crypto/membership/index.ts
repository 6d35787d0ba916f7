// crypto/membership: certificates, credentials, the org log and its reducer, invitations and
// admission — the public surface other layers import (contract: docs/protocol/membership.md).

export * from './roles.ts'
export * from './org-anchor.ts'
export * from './contexts.ts'
export * from './admin-certificate.ts'
export * from './device-certificate.ts'
export * from './credential.ts'
export * from './log-entry-body.ts'
export * from './user-id-list.ts'
// rememberLogEntrySignature stays internal: seeding the memo is preverify-log.ts's job only.
export {
  compareBytes,
  createLogEntry,
  decodeLogEntry,
  HASH_LENGTH,
  LOG_ENTRY_VERSION,
  type LogEntry,
  logEntrySignatureValid,
  logEntrySignedBytes,
  MAX_HEADS,
  MAX_LOG_ENTRY_BYTES,
  type NewLogEntry,
} from './log-entry.ts'
export * from './log-bundle.ts'
export * from './org-state.ts'
export { reduceOrgLog } from './reduce-org-log.ts'
// rememberPrekeySignature stays internal for the same reason.
export {
  directoryBundle,
  prekeySignatureValid,
  publishPrekeyBody,
  signPrekey,
} from './prekey-directory.ts'
export * from './accept-entries.ts'
export * from './client-id-ranges.ts'
export * from './verify-credential.ts'
export {
  ADMISSION_CHALLENGE_LENGTH,
  admissionMessage,
  signAdmission,
  verifyAdmission,
} from './admission.ts'
export * from './invitation.ts'
export * from './certificate-request.ts'
export * from './issue-device.ts'
export * from './approve-request.ts'
export * from './org-log-replica.ts'
export * from './preverify-log.ts'
export * from './current-credential.ts'
