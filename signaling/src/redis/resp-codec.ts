// RESP2 (the Redis serialization protocol): command encoding and an incremental reply parser.
// Grammar: https://redis.io/docs/latest/develop/reference/protocol-spec/ — `+` simple string,
// `-` error, `:` integer, `$len\r\n<bytes>\r\n` bulk string ($-1 = null), `*n` array (*-1 = null).

export type RespValue = string | number | null | RespError | RespValue[]

export class RespError {
  constructor(readonly message: string) {}
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const CR = 13
const LF = 10
/** Bounds what a misbehaving server can make us buffer (512 MiB is Redis' own bulk limit). */
const MAX_BULK = 512 * 1024 * 1024
const MAX_ARRAY = 1024 * 1024

/** `SET k v` -> `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n`: every argument as a bulk string. */
export function encodeCommand(args: readonly string[]): Uint8Array {
  const parts: Uint8Array[] = [encoder.encode(`*${args.length}\r\n`)]
  for (const arg of args) {
    const bytes = encoder.encode(arg)
    parts.push(encoder.encode(`$${bytes.length}\r\n`), bytes, encoder.encode('\r\n'))
  }
  let size = 0
  for (const p of parts) size += p.length
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export class RespProtocolError extends Error {}

/** Feed bytes as they arrive; `next()` returns one complete reply or undefined for "need more". */
export class RespParser {
  private buffer = new Uint8Array(0)
  private at = 0

  push(bytes: Uint8Array): void {
    const rest = this.buffer.subarray(this.at)
    const merged = new Uint8Array(rest.length + bytes.length)
    merged.set(rest)
    merged.set(bytes, rest.length)
    this.buffer = merged
    this.at = 0
  }

  next(): RespValue | undefined {
    const start = this.at
    const value = this.read()
    if (value === undefined) this.at = start
    return value
  }

  private line(): string | undefined {
    for (let i = this.at; i + 1 < this.buffer.length; i++) {
      if (this.buffer[i] === CR && this.buffer[i + 1] === LF) {
        const text = decoder.decode(this.buffer.subarray(this.at, i))
        this.at = i + 2
        return text
      }
    }
    return undefined
  }

  private integer(text: string, max: number): number {
    if (!/^-?\d+$/.test(text)) throw new RespProtocolError('bad integer')
    const n = Number(text)
    if (n > max) throw new RespProtocolError('length too large')
    return n
  }

  private read(): RespValue | undefined {
    if (this.at >= this.buffer.length) return undefined
    const kind = this.buffer[this.at++]
    const line = this.line()
    if (line === undefined) return undefined
    switch (kind) {
      case 0x2b: // +
        return line
      case 0x2d: // -
        return new RespError(line)
      case 0x3a: // :
        return this.integer(line, Number.MAX_SAFE_INTEGER)
      case 0x24: { // $
        const length = this.integer(line, MAX_BULK)
        if (length < 0) return null
        if (this.buffer.length - this.at < length + 2) return undefined
        const text = decoder.decode(this.buffer.subarray(this.at, this.at + length))
        this.at += length + 2
        return text
      }
      case 0x2a: { // *
        const count = this.integer(line, MAX_ARRAY)
        if (count < 0) return null
        const items: RespValue[] = []
        for (let i = 0; i < count; i++) {
          const item = this.read()
          if (item === undefined) return undefined
          items.push(item)
        }
        return items
      }
      default:
        throw new RespProtocolError(`unknown reply type ${kind}`)
    }
  }
}
