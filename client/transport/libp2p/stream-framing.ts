// Frames on a libp2p byte stream: varuint length prefix, then the frame (transport.md §3).
// The decoder is incremental (chunks arrive split and joined arbitrarily) and distrustful: a
// length above the limit, or a non-minimal length, poisons the stream.

import { Writer } from '../../../crypto/codec/writer.ts'
import { fail } from '../../../crypto/errors/conch-error.ts'

/** Largest frame on a Conch stream: an ENVELOPES frame of one maximal envelope, or DIRECT. */
export const MAX_STREAM_FRAME_BYTES = (4 << 20) + 1024

export function encodeStreamFrame(frame: Uint8Array): Uint8Array {
  if (frame.length > MAX_STREAM_FRAME_BYTES) throw new RangeError('frame too long')
  return new Writer(frame.length + 5).varuint(frame.length).raw(frame).finish()
}

/** Feed chunks in, get whole frames out; throws `codec/*` once the stream is malformed. */
export class StreamFrameDecoder {
  private chunks: Uint8Array[] = []
  private buffered = 0

  constructor(private readonly maxFrame = MAX_STREAM_FRAME_BYTES) {}

  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length) {
      this.chunks.push(chunk)
      this.buffered += chunk.length
    }
    const out: Uint8Array[] = []
    for (;;) {
      const head = this.peekLength()
      if (!head) return out
      const { length, prefix } = head
      if (this.buffered < prefix + length) return out
      const all = this.take(prefix + length)
      out.push(all.subarray(prefix))
    }
  }

  /** The length prefix, if complete: minimal LEB128, at most `maxFrame`. */
  private peekLength(): { length: number; prefix: number } | undefined {
    let value = 0
    let scale = 1
    let i = 0
    for (const chunk of this.chunks) {
      for (const byte of chunk) {
        value += (byte & 0x7f) * scale
        i++
        if ((byte & 0x80) === 0) {
          if (i > 1 && byte === 0) fail('codec/bad-value', 'non-minimal frame length')
          if (value > this.maxFrame) fail('codec/too-long', 'frame too long')
          return { length: value, prefix: i }
        }
        scale *= 0x80
        if (i >= 4) fail('codec/too-long', 'frame too long')
      }
    }
    return undefined
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0]
    if (first.length >= n) {
      // Fast path: the whole frame sits in the first chunk (the common case).
      const out = first.slice(0, n)
      if (first.length === n) this.chunks.shift()
      else this.chunks[0] = first.subarray(n)
      this.buffered -= n
      return out
    }
    const out = new Uint8Array(n)
    let at = 0
    while (at < n) {
      const c = this.chunks[0]
      const need = n - at
      if (c.length <= need) {
        out.set(c, at)
        at += c.length
        this.chunks.shift()
      } else {
        out.set(c.subarray(0, need), at)
        this.chunks[0] = c.subarray(need)
        at += need
      }
    }
    this.buffered -= n
    return out
  }
}
