// Distrustful byte reader: every read is bounds-checked, every length has a limit (STYLE habit 3).

import { fail } from '../errors/conch-error.ts'

const utf8 = new TextDecoder('utf-8', { fatal: true })

export class Reader {
  private at = 0
  constructor(private readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.at
  }
  get offset(): number {
    return this.at
  }
  private need(n: number): void {
    if (this.buf.length - this.at < n) fail('codec/truncated', 'input ends early')
  }
  u8(): number {
    this.need(1)
    return this.buf[this.at++]
  }
  u16(): number {
    this.need(2)
    const v = (this.buf[this.at] << 8) | this.buf[this.at + 1]
    this.at += 2
    return v
  }
  u32(): number {
    this.need(4)
    const b = this.buf
    const v = ((b[this.at] << 24) >>> 0) + (b[this.at + 1] << 16) + (b[this.at + 2] << 8) +
      b[this.at + 3]
    this.at += 4
    return v
  }
  u64(): number {
    const hi = this.u32()
    const lo = this.u32()
    if (hi > 0x1fffff) fail('codec/bad-value', 'u64 above 2^53')
    return hi * 0x100000000 + lo
  }
  /** LEB128 varint; rejects non-minimal encodings and values above `max`. */
  varuint(max = Number.MAX_SAFE_INTEGER): number {
    let value = 0
    let scale = 1
    for (let i = 0; i < 8; i++) {
      const byte = this.u8()
      value += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) {
        if (i > 0 && byte === 0) fail('codec/bad-value', 'non-minimal varuint')
        if (value > max) fail('codec/too-long', 'varuint above limit')
        return value
      }
      scale *= 0x80
    }
    return fail('codec/bad-value', 'varuint too long')
  }
  /** Fixed-size field. Returns a copy, so callers may keep or wipe it freely. */
  fixed(size: number): Uint8Array {
    this.need(size)
    const out = this.buf.slice(this.at, this.at + size)
    this.at += size
    return out
  }
  /** varuint length (at most `maxLength`), then that many bytes. */
  bytes(maxLength: number): Uint8Array {
    const n = this.varuint()
    if (n > maxLength) fail('codec/too-long', 'length above limit')
    return this.fixed(n)
  }
  string(maxBytes: number): string {
    const raw = this.bytes(maxBytes)
    try {
      return utf8.decode(raw)
    } catch {
      return fail('codec/bad-value', 'invalid UTF-8')
    }
  }
  /** The rest of the input, however long. */
  rest(): Uint8Array {
    const out = this.buf.slice(this.at)
    this.at = this.buf.length
    return out
  }
  /** Every decode ends here: leftover bytes are an error, never ignored. */
  end(): void {
    if (this.at !== this.buf.length) fail('codec/trailing-bytes', 'unexpected trailing bytes')
  }
}

/** Run a decoder over `bytes`, require it to consume everything, and type any stray throw. */
export function decodeExactly<T>(bytes: Uint8Array, read: (r: Reader) => T): T {
  if (!(bytes instanceof Uint8Array)) fail('codec/bad-value', 'expected bytes')
  const r = new Reader(bytes)
  const value = read(r)
  r.end()
  return value
}
