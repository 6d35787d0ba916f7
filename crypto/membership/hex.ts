// Fast lowercase hex for the reducer's hot paths (ids of 10,000s of entries); same output as
// codec/bytes.ts `toHex`, with a lookup table instead of per-byte toString/padStart.

const TABLE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function hex(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i++) s += TABLE[bytes[i]]
  return s
}
