// Frames on a libp2p byte stream survive any chunking, and a hostile length is refused before
// anything is buffered for it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  encodeStreamFrame,
  MAX_STREAM_FRAME_BYTES,
  StreamFrameDecoder,
} from '../../../client/transport/libp2p/stream-framing.ts'
import { isConchError } from '../../../crypto/errors/conch-error.ts'

describe('stream framing', () => {
  it('decodes the frames it encoded, however the stream splits and joins them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 50 }),
        (frames, cuts) => {
          const wire = new Uint8Array(frames.reduce((n, f) => n + encodeStreamFrame(f).length, 0))
          let at = 0
          for (const f of frames) {
            const e = encodeStreamFrame(f)
            wire.set(e, at)
            at += e.length
          }
          const decoder = new StreamFrameDecoder()
          const out: Uint8Array[] = []
          let pos = 0
          for (let i = 0; pos < wire.length; i++) {
            const n = cuts[i % cuts.length]
            out.push(...decoder.push(wire.subarray(pos, pos + n)))
            pos += n
          }
          expect(out).toEqual(frames)
        },
      ),
      { seed: 6, numRuns: 300 },
    )
  })

  it('refuses a length above the limit as soon as the prefix is read', () => {
    const decoder = new StreamFrameDecoder()
    const prefix: number[] = []
    for (let n = MAX_STREAM_FRAME_BYTES + 1; n > 0; n = Math.floor(n / 128)) {
      prefix.push((n & 0x7f) | (n >= 128 ? 0x80 : 0))
    }
    expect(() => decoder.push(new Uint8Array(prefix))).toThrow(
      expect.objectContaining({ code: 'codec/too-long' }),
    )
  })

  it('refuses a non-minimal length and an endless one', () => {
    const refuses = (bytes: number[]) => {
      try {
        new StreamFrameDecoder().push(new Uint8Array(bytes))
        return false
      } catch (e) {
        return isConchError(e)
      }
    }
    expect(refuses([0x81, 0x00])).toBe(true)
    expect(refuses([0xff, 0xff, 0xff, 0xff, 0x01])).toBe(true)
    expect(refuses([0x05])).toBe(false) // a partial frame just waits
  })
})
