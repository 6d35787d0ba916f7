// The live camera while a colleague's QR code is scanned: a labelled video, a way out, and the
// camera released on a result, on cancel, and whenever this panel leaves the screen.

import { onCleanup, onMount } from 'solid-js'
import type { Translate } from '../i18n/i18n.ts'
import { type ScanStart, startQrScan } from './qr-scanner.ts'

export interface ScanPanelProps {
  name: string
  t: Translate
  /** Called with each decoded text; true ends the scan. */
  onText(text: string): boolean
  /** The camera is showing frames, or it could not start. */
  onStarted(result: ScanStart): void
  onCancel(): void
}

export function ScanPanel(props: ScanPanelProps) {
  let video!: HTMLVideoElement
  let cancelButton!: HTMLButtonElement
  const abort = new AbortController()
  onMount(() => {
    cancelButton.focus()
    void startQrScan(video, (text) => props.onText(text), abort.signal).then((result) => {
      if (!abort.signal.aborted) props.onStarted(result)
    })
  })
  // Leaving the page, closing the panel or a result: the camera goes off with the panel.
  onCleanup(() => abort.abort())
  const t = props.t
  return (
    <div
      class='scanner'
      role='group'
      aria-labelledby='scan-title'
      data-testid='scanner'
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onCancel()
      }}
    >
      <h3 id='scan-title'>{t('verifyScanTitle', { name: props.name })}</h3>
      <p id='scan-help'>{t('verifyScanHelp', { name: props.name })}</p>
      <video
        ref={video}
        class='scanner-video'
        data-testid='scan-video'
        aria-label={t('verifyCameraLabel')}
        aria-describedby='scan-help'
        muted
        playsinline
      />
      <button
        ref={cancelButton}
        type='button'
        class='secondary'
        onClick={() => props.onCancel()}
      >
        {t('verifyScanCancel')}
      </button>
    </div>
  )
}
