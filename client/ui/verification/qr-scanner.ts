// The camera edge of verification: opens a camera (the rear one where there is a choice), shows it
// in a <video>, and reads QR codes from its frames with jsQR, loaded only when a scan starts so it
// stays out of the first bundle. Whoever starts a scan stops it; stopping releases the camera.

/** Why no scan could start, for a message the person can act on. */
export type CameraFailure = 'denied' | 'no-camera' | 'unavailable'

export interface QrScan {
  /** Stops decoding and releases the camera; safe to call more than once. */
  stop(): void
}

export type ScanStart =
  | { ok: true; scan: QrScan }
  | { ok: false; reason: CameraFailure | 'cancelled' }

/** Frames read per second: enough to feel instant, cheap on a phone's CPU. */
const FRAMES_PER_SECOND = 10
/** Frames are scaled down to at most this many pixels wide before decoding. */
const DECODE_WIDTH = 640

/** Maps a getUserMedia rejection (a DOMException name) to what we tell the person. */
export function cameraFailure(error: unknown): CameraFailure {
  const name = typeof error === 'object' && error !== null && 'name' in error
    ? String((error as { name: unknown }).name)
    : ''
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied'
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-camera'
  return 'unavailable'
}

/**
 * Starts the camera into `video` and calls `onText` with each decoded QR text until it returns
 * true (done: the camera stops), the returned scan is stopped, or `cancel` aborts (which also
 * covers a view that closes while the camera is still starting).
 */
export async function startQrScan(
  video: HTMLVideoElement,
  onText: (text: string) => boolean,
  cancel?: AbortSignal,
): Promise<ScanStart> {
  const media = globalThis.navigator?.mediaDevices
  if (!media?.getUserMedia) return { ok: false, reason: 'unavailable' }
  const decoder = import('jsqr').then((m) => m.default)
  // Awaited only once the camera runs; until then a failed load must not go unhandled.
  decoder.catch(() => {})
  let stream: MediaStream
  try {
    stream = await media.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 } },
    })
  } catch (error) {
    return { ok: false, reason: cameraFailure(error) }
  }
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = () => {
    if (stopped) return
    stopped = true
    clearTimeout(timer)
    for (const track of stream.getTracks()) track.stop()
    video.srcObject = null
  }
  if (cancel?.aborted) {
    stop()
    return { ok: false, reason: 'cancelled' }
  }
  cancel?.addEventListener('abort', stop, { once: true })
  const canvas = document.createElement('canvas')
  const context = canvas.getContext('2d', { willReadFrequently: true })
  let jsQR: Awaited<typeof decoder>
  try {
    video.srcObject = stream
    video.muted = true
    video.playsInline = true
    await video.play()
    jsQR = await decoder
  } catch {
    stop()
    return { ok: false, reason: cancel?.aborted ? 'cancelled' : 'unavailable' }
  }
  if (stopped) return { ok: false, reason: 'cancelled' }
  if (!context) {
    stop()
    return { ok: false, reason: 'unavailable' }
  }
  const tick = () => {
    if (stopped) return
    const w = video.videoWidth
    const h = video.videoHeight
    if (w > 0 && h > 0) {
      const scale = Math.min(1, DECODE_WIDTH / w)
      canvas.width = Math.round(w * scale)
      canvas.height = Math.round(h * scale)
      context.drawImage(video, 0, 0, canvas.width, canvas.height)
      const frame = context.getImageData(0, 0, canvas.width, canvas.height)
      // Our codes are always dark on light, so inverted images are not tried (half the work).
      const code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })
      if (code && code.data && onText(code.data)) return stop()
    }
    timer = setTimeout(tick, 1000 / FRAMES_PER_SECOND)
  }
  tick()
  return { ok: true, scan: { stop } }
}
