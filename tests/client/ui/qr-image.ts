// Test support: a QR code's modules drawn as a grey picture (one luma byte a pixel), and that
// picture as a YUV4MPEG2 video a fake camera can play, so scans are tested on real pixels.
import type { QrModules } from '../../../client/ui/verification/qr-modules.ts'

export interface LumaImage {
  width: number
  height: number
  /** One byte a pixel, 0 black to 255 white. */
  luma: Uint8Array
}

/** White frame, the code centred with its 4-module quiet zone, each module `scale` pixels. */
export function drawQr(
  modules: QrModules,
  width: number,
  height: number,
  scale: number,
): LumaImage {
  const side = (modules.size + 8) * scale
  if (side > width || side > height) throw new RangeError('the code does not fit the frame')
  const luma = new Uint8Array(width * height).fill(255)
  const left = Math.floor((width - side) / 2) + 4 * scale
  const top = Math.floor((height - side) / 2) + 4 * scale
  for (const [x, y] of modules.dark) {
    for (let dy = 0; dy < scale; dy++) {
      const row = (top + y * scale + dy) * width + left + x * scale
      luma.fill(0, row, row + scale)
    }
  }
  return { width, height, luma }
}

/** RGBA bytes of a grey picture, the layout canvas getImageData (and jsQR) use. */
export function toRgba(image: LumaImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(image.width * image.height * 4)
  for (let i = 0; i < image.luma.length; i++) {
    out.set([image.luma[i], image.luma[i], image.luma[i], 255], i * 4)
  }
  return out
}

/** A YUV4MPEG2 file (4:2:0, grey chroma) repeating the picture for `frames` frames. */
export function toY4m(image: LumaImage, frames = 10): Uint8Array {
  const { width, height } = image
  if (width % 2 || height % 2) throw new RangeError('4:2:0 needs even dimensions')
  const header = new TextEncoder().encode(
    `YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`,
  )
  const marker = new TextEncoder().encode('FRAME\n')
  const chroma = (width / 2) * (height / 2)
  const frameBytes = marker.length + width * height + 2 * chroma
  const out = new Uint8Array(header.length + frames * frameBytes).fill(128)
  out.set(header, 0)
  for (let f = 0; f < frames; f++) {
    const at = header.length + f * frameBytes
    out.set(marker, at)
    out.set(image.luma, at + marker.length)
  }
  return out
}
