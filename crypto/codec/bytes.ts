// Byte helpers used by every codec and primitive: equality in constant time, concat, hex.

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Constant-time for equal lengths; lengths themselves are not secret here. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i]
  return diff === 0
}

export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('invalid hex')
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** Overwrite a secret once it is no longer needed (best effort in JS). */
export function wipe(...secrets: Uint8Array[]): void {
  for (const s of secrets) s.fill(0)
}

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text)
}

/** Strict UTF-8 decode: invalid sequences throw instead of becoming U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes)
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const BASE64URL_VALUES = (() => {
  const table = new Int16Array(128).fill(-1)
  for (let i = 0; i < 64; i++) table[BASE64URL_ALPHABET.charCodeAt(i)] = i
  return table
})()

/** RFC 4648 §5 base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  const a = BASE64URL_ALPHABET
  let s = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
    s += a[n >> 18] + a[(n >> 12) & 63] + a[(n >> 6) & 63] + a[n & 63]
  }
  if (bytes.length - i === 1) {
    const n = bytes[i] << 16
    s += a[n >> 18] + a[(n >> 12) & 63]
  } else if (bytes.length - i === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8)
    s += a[n >> 18] + a[(n >> 12) & 63] + a[(n >> 6) & 63]
  }
  return s
}

/** Strict base64url without padding: any other character, or a dangling 6 bits, is an error. */
export function fromBase64url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new TypeError('invalid base64url')
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let acc = 0
  let bits = 0
  let at = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const v = code < 128 ? BASE64URL_VALUES[code] : -1
    if (v < 0) throw new TypeError('invalid base64url')
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[at++] = (acc >> bits) & 0xff
    }
  }
  return out
}
