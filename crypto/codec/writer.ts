// Growable byte writer: the `writeX(writer, …)` half of every wire grammar (docs/PROTOCOL.md §1).

export class Writer {
  private buf: Uint8Array
  private at = 0
  constructor(initialCapacity = 64) {
    this.buf = new Uint8Array(initialCapacity)
  }
  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return
    let cap = this.buf.length * 2
    while (cap < this.at + n) cap *= 2
    const next = new Uint8Array(cap)
    next.set(this.buf.subarray(0, this.at))
    this.buf = next
  }
  get length(): number {
    return this.at
  }
  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.at)
  }
  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError('u8 out of range')
    this.reserve(1)
    this.buf[this.at++] = v
    return this
  }
  u16(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError('u16 out of range')
    this.reserve(2)
    this.buf[this.at++] = v >>> 8
    this.buf[this.at++] = v & 0xff
    return this
  }
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError('u32 out of range')
    this.reserve(4)
    this.buf[this.at++] = v >>> 24
    this.buf[this.at++] = (v >>> 16) & 0xff
    this.buf[this.at++] = (v >>> 8) & 0xff
    this.buf[this.at++] = v & 0xff
    return this
  }
  /** Unsigned 64-bit big-endian; values limited to Number.MAX_SAFE_INTEGER. */
  u64(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError('u64 out of range')
    this.u32(Math.floor(v / 0x100000000))
    return this.u32(v >>> 0)
  }
  /** Unsigned LEB128 varint (as lib0 `writeVarUint`), at most 2^53 - 1. */
  varuint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError('varuint out of range')
    while (v > 0x7f) {
      this.u8(0x80 | (v % 0x80))
      v = Math.floor(v / 0x80)
    }
    return this.u8(v)
  }
  /** Raw bytes with no length prefix (fixed-size fields). */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length)
    this.buf.set(bytes, this.at)
    this.at += bytes.length
    return this
  }
  /** Fixed-size field: asserts the length the grammar promises. */
  fixed(bytes: Uint8Array, size: number, name = 'field'): this {
    if (bytes.length !== size) {
      throw new RangeError(`${name}: expected ${size} bytes, got ${bytes.length}`)
    }
    return this.raw(bytes)
  }
  /** varuint length, then the bytes. */
  bytes(bytes: Uint8Array): this {
    this.varuint(bytes.length)
    return this.raw(bytes)
  }
  /** varuint byte length, then UTF-8. */
  string(text: string): this {
    return this.bytes(new TextEncoder().encode(text))
  }
}
