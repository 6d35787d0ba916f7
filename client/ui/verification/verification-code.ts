// The text a verification QR code carries (docs/protocol/client.md, "Verification QR code"), and
// what a scanned text means against the safety number this device computed for the pair.
//   version 1: "CONCH1:" then the 60-digit safety number (all QR alphanumeric characters)
//   version 0: the 60 digits alone, as clients drew them before the prefix existed

export const VERIFICATION_CODE_VERSION = 1
const PREFIX = 'CONCH'
/** Longer texts are not ours; nothing is parsed past this. */
const MAX_CODE_LENGTH = 128

export type ScannedCode =
  | { kind: 'safety-number'; version: 0 | 1; digits: string }
  | { kind: 'unsupported-version'; version: number }
  | { kind: 'not-a-safety-code' }

export type ScanVerdict = 'match' | 'mismatch' | 'not-a-safety-code' | 'unsupported-version'

function assertSafetyNumber(digits: string, name: string): void {
  if (!/^\d{60}$/.test(digits)) throw new RangeError(`${name} must be 60 decimal digits`)
}

/** The text to draw as a QR code for the pair's safety number. */
export function encodeVerificationCode(safetyNumber: string): string {
  assertSafetyNumber(safetyNumber, 'safetyNumber')
  return `${PREFIX}${VERIFICATION_CODE_VERSION}:${safetyNumber}`
}

/** Reads a scanned text distrustfully: exact shapes only, anything else is not a safety code. */
export function readVerificationCode(text: string): ScannedCode {
  if (text.length > MAX_CODE_LENGTH) return { kind: 'not-a-safety-code' }
  if (/^\d{60}$/.test(text)) return { kind: 'safety-number', version: 0, digits: text }
  const m = /^CONCH(0|[1-9]\d{0,3}):(.*)$/s.exec(text)
  if (!m) return { kind: 'not-a-safety-code' }
  const version = Number(m[1])
  // A later version may carry a different body: refuse it rather than guess at its digits.
  if (version !== VERIFICATION_CODE_VERSION) return { kind: 'unsupported-version', version }
  if (!/^\d{60}$/.test(m[2])) return { kind: 'not-a-safety-code' }
  return { kind: 'safety-number', version: 1, digits: m[2] }
}

/** Whether a scanned code shows the same safety number as `expected`, this device's own. */
export function compareScannedCode(text: string, expected: string): ScanVerdict {
  assertSafetyNumber(expected, 'expected')
  const code = readVerificationCode(text)
  if (code.kind !== 'safety-number') return code.kind
  return code.digits === expected ? 'match' : 'mismatch'
}
