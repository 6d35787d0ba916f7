// What the person is told when the camera will not start: the browser's refusal names map onto
// "blocked", "no camera" or "did not start"; a browser without getUserMedia never throws.
import { describe, expect, it } from 'vitest'
import { cameraFailure, startQrScan } from '../../../client/ui/verification/qr-scanner.ts'

describe('camera failures', () => {
  it('a refused permission is "denied", a missing camera is "no-camera"', () => {
    expect(cameraFailure(new DOMException('no', 'NotAllowedError'))).toBe('denied')
    expect(cameraFailure(new DOMException('no', 'SecurityError'))).toBe('denied')
    expect(cameraFailure(new DOMException('none', 'NotFoundError'))).toBe('no-camera')
    expect(cameraFailure(new DOMException('rear', 'OverconstrainedError'))).toBe('no-camera')
  })

  it('anything else (a busy camera, odd values) is "unavailable"', () => {
    expect(cameraFailure(new DOMException('busy', 'NotReadableError'))).toBe('unavailable')
    for (const odd of [undefined, null, 'NotAllowedError', 42, {}]) {
      expect(cameraFailure(odd)).toBe('unavailable')
    }
  })

  it('without navigator.mediaDevices the scan reports "unavailable" instead of throwing', async () => {
    const video = {} as HTMLVideoElement
    expect(await startQrScan(video, () => true)).toEqual({ ok: false, reason: 'unavailable' })
  })
})
