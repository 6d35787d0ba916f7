// RFC 6455 §5 framing for the server side: a distrustful incremental parser of client frames
// (masked, bounded, fragmentation reassembled) and an encoder of server frames (unmasked).

export const OPCODE_CONTINUATION = 0x0
export const OPCODE_TEXT = 0x1
export const OPCODE_BINARY = 0x2
export const OPCODE_CLOSE = 0x8
export const OPCODE_PING = 0x9
export const OPCODE_PONG = 0xa

export type FrameEvent =
  | { type: 'text'; text: string }
  | { type: 'binary'; payload: Uint8Array }
  | { type: 'ping'; payload: Uint8Array }
  | { type: 'pong' }
  | { type: 'close'; code: number; reason: string }

/** `too-large`: a message over the limit (close 4413). `protocol`: anything else (close 1002). */
export class FrameError extends Error {
  constructor(readonly kind: 'too-large' | 'protocol' | 'bad-utf8', message: string) {
    super(message)
    this.name = 'FrameError'
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const EMPTY = new Uint8Array(0)

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes)
  } catch {
    throw new FrameError('bad-utf8', 'invalid UTF-8')
  }
}

export class FrameParser {
  private buffer: Uint8Array = EMPTY
  private at = 0
  /** Fragments of the message being reassembled (opcode of its first frame). */
  private fragments: Uint8Array[] | undefined
  private fragmentOpcode = 0
  private fragmentBytes = 0

  constructor(private readonly maxMessageBytes: number) {}

  /**
   * Bytes as they arrive; returns the complete events they finish. Throws FrameError. `bytes` is
   * not retained: the caller may overwrite it once push returns.
   */
  push(bytes: Uint8Array): FrameEvent[] {
    if (this.at === this.buffer.length) {
      this.buffer = bytes
    } else {
      const rest = this.buffer.subarray(this.at)
      const merged = new Uint8Array(rest.length + bytes.length)
      merged.set(rest)
      merged.set(bytes, rest.length)
      this.buffer = merged
    }
    this.at = 0
    const events: FrameEvent[] = []
    while (true) {
      const event = this.frame()
      if (event === undefined) break
      if (event !== null) events.push(event)
    }
    // Hold no reference to the caller's bytes: an idle connection keeps no read buffer alive,
    // and the caller may reuse its read buffer. A partial frame is copied out.
    this.buffer = this.at === this.buffer.length ? EMPTY : this.buffer.slice(this.at)
    this.at = 0
    return events
  }

  /** One frame: an event, null (a fragment, absorbed), or undefined (need more bytes). */
  private frame(): FrameEvent | null | undefined {
    const b = this.buffer
    let p = this.at
    if (b.length - p < 2) return undefined
    const fin = (b[p] & 0x80) !== 0
    if (b[p] & 0x70) throw new FrameError('protocol', 'reserved bits set')
    const opcode = b[p] & 0x0f
    if ((b[p + 1] & 0x80) === 0) throw new FrameError('protocol', 'client frames must be masked')
    let length = b[p + 1] & 0x7f
    p += 2
    if (length === 126) {
      if (b.length - p < 2) return undefined
      length = (b[p] << 8) | b[p + 1]
      p += 2
    } else if (length === 127) {
      if (b.length - p < 8) return undefined
      if (b[p] & 0x80) throw new FrameError('protocol', 'length MSB set')
      // Anything needing more than 32 bits is far above every limit we allow.
      if (b[p] | b[p + 1] | b[p + 2] | b[p + 3]) {
        throw new FrameError('too-large', 'frame too large')
      }
      length = ((b[p + 4] << 24) >>> 0) + (b[p + 5] << 16) + (b[p + 6] << 8) + b[p + 7]
      p += 8
    }
    const control = opcode >= 0x8
    if (control && (length > 125 || !fin)) throw new FrameError('protocol', 'bad control frame')
    if (!control && this.fragmentBytes + length > this.maxMessageBytes) {
      throw new FrameError('too-large', 'message too large')
    }
    if (b.length - p < 4 + length) return undefined
    const mask = b.subarray(p, p + 4)
    p += 4
    const payload = new Uint8Array(length)
    for (let i = 0; i < length; i++) payload[i] = b[p + i] ^ mask[i & 3]
    this.at = p + length

    switch (opcode) {
      case OPCODE_PING:
        return { type: 'ping', payload }
      case OPCODE_PONG:
        return { type: 'pong' }
      case OPCODE_CLOSE: {
        if (length === 1) throw new FrameError('protocol', 'bad close payload')
        const code = length >= 2 ? (payload[0] << 8) | payload[1] : 1005
        return { type: 'close', code, reason: length > 2 ? decodeUtf8(payload.subarray(2)) : '' }
      }
      case OPCODE_TEXT:
      case OPCODE_BINARY:
        if (this.fragments) throw new FrameError('protocol', 'expected a continuation')
        if (fin) return this.message(opcode, payload)
        this.fragmentOpcode = opcode
        this.fragments = [payload]
        this.fragmentBytes = length
        return null
      case OPCODE_CONTINUATION: {
        if (!this.fragments) throw new FrameError('protocol', 'continuation without start')
        this.fragments.push(payload)
        this.fragmentBytes += length
        if (!fin) return null
        const whole = new Uint8Array(this.fragmentBytes)
        let at = 0
        for (const f of this.fragments) {
          whole.set(f, at)
          at += f.length
        }
        const first = this.fragmentOpcode
        this.fragments = undefined
        this.fragmentBytes = 0
        return this.message(first, whole)
      }
      default:
        throw new FrameError('protocol', 'unknown opcode')
    }
  }

  private message(opcode: number, payload: Uint8Array): FrameEvent {
    return opcode === OPCODE_TEXT
      ? { type: 'text', text: decodeUtf8(payload) }
      : { type: 'binary', payload }
  }
}

/** A server frame (FIN set, never masked, RFC 6455 §5.1). */
export function encodeFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const n = payload.length
  const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10
  const frame = new Uint8Array(headerLength + n)
  frame[0] = 0x80 | opcode
  if (n < 126) {
    frame[1] = n
  } else if (n < 65536) {
    frame[1] = 126
    frame[2] = n >> 8
    frame[3] = n & 0xff
  } else {
    frame[1] = 127
    const view = new DataView(frame.buffer)
    view.setUint32(2, Math.floor(n / 2 ** 32))
    view.setUint32(6, n >>> 0)
  }
  frame.set(payload, headerLength)
  return frame
}

const encoder = new TextEncoder()
let lastText: string | undefined
let lastFrame: Uint8Array | undefined

/**
 * Text frame for `text`. Fan-out sends the same string to many sockets in a row, so the last
 * frame is remembered and reused (frames are never mutated after encoding).
 */
export function encodeTextFrame(text: string): Uint8Array {
  if (text === lastText && lastFrame) return lastFrame
  lastFrame = encodeFrame(OPCODE_TEXT, encoder.encode(text))
  lastText = text
  return lastFrame
}

/** Close frame: code (RFC 6455 §7.4) and a UTF-8 reason of at most 123 bytes. */
export function encodeCloseFrame(code: number, reason: string): Uint8Array {
  const reasonBytes = encoder.encode(reason).subarray(0, 123)
  const payload = new Uint8Array(2 + reasonBytes.length)
  payload[0] = code >> 8
  payload[1] = code & 0xff
  payload.set(reasonBytes, 2)
  return encodeFrame(OPCODE_CLOSE, payload)
}
