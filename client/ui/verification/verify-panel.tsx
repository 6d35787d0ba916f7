// Verifying one colleague's device: the pair's safety number and its QR code to compare or be
// scanned, a camera scan of their code, and a manual mark after comparing by eye (as Signal has).

import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js'
import type { StringKey } from '../i18n/strings-en.ts'
import type { Translate } from '../i18n/i18n.ts'
import { QrCode } from './qr-code.tsx'
import { safetyNumberGroups, type VerifiableIdentity } from './safety-number.ts'
import { ScanPanel } from './scan-panel.tsx'
import { compareScannedCode, encodeVerificationCode } from './verification-code.ts'
import type { VerifiedDevicesStore } from './verified-devices.ts'

type Status =
  | 'idle'
  | 'starting'
  | 'scanning'
  | 'match'
  | 'mismatch'
  | 'not-a-safety-code'
  | 'unsupported-version'
  | 'denied'
  | 'no-camera'
  | 'unavailable'
  | 'marked'
  | 'cleared'

const MESSAGES: Partial<Record<Status, StringKey>> = {
  starting: 'verifyStarting',
  scanning: 'verifyScanning',
  match: 'verifyMatch',
  mismatch: 'verifyMismatch',
  'not-a-safety-code': 'verifyNotCode',
  'unsupported-version': 'verifyNewerCode',
  denied: 'verifyCameraDenied',
  'no-camera': 'verifyNoCamera',
  unavailable: 'verifyCameraFailed',
  marked: 'verifyMarked',
  cleared: 'verifyCleared',
}
const WARNINGS: Status[] = ['mismatch', 'denied', 'no-camera', 'unavailable']

export interface VerifyPanelProps {
  peer: VerifiableIdentity & { device: string; displayName: string }
  /** The pair's 60-digit safety number, as this device computes it. */
  safetyNumber: string
  verified: VerifiedDevicesStore
  t: Translate
}

export function VerifyPanel(props: VerifyPanelProps) {
  const t = props.t
  const [status, setStatus] = createSignal<Status>('idle')
  const name = () => props.peer.displayName
  const isVerified = createMemo(() => props.verified.isVerified(props.peer))
  // A record for other keys than the peer holds now: their keys changed since we verified.
  const keyChanged = createMemo(() =>
    !isVerified() && Object.hasOwn(props.verified.records(), props.peer.device)
  )
  const [scanning, setScanning] = createSignal(false)
  let scanButton!: HTMLButtonElement

  const closeScan = (next: Status) => {
    setScanning(false)
    setStatus(next)
    // The panel is gone with its focused button: give focus back where the scan began.
    queueMicrotask(() => scanButton?.focus())
  }
  const onText = (text: string): boolean => {
    const verdict = compareScannedCode(text, props.safetyNumber)
    // Someone else's QR code (a menu, a link): say so and keep looking.
    if (verdict === 'not-a-safety-code') {
      setStatus('not-a-safety-code')
      return false
    }
    if (verdict === 'match') props.verified.mark(props.peer, 'scanned')
    // Their device holds other keys than ours says: an earlier verification no longer stands.
    if (verdict === 'mismatch') props.verified.clear(props.peer)
    closeScan(verdict)
    return true
  }
  const message = () => {
    const key = MESSAGES[status()]
    return key ? t(key, { name: name() }) : ''
  }

  return (
    <section aria-labelledby='verify-title' class='verify' data-testid='verify'>
      <h2 id='verify-title'>{t('verifyTitle', { name: name() })}</h2>
      <Switch>
        <Match when={isVerified()}>
          <p class='verified-badge' data-testid='verified-badge'>
            <span aria-hidden='true'>✓</span> {t('verifiedTag')}
          </p>
        </Match>
        <Match when={keyChanged()}>
          <p class='verify-warning' data-testid='key-changed'>
            {t('verifyKeyChanged', { name: name() })}
          </p>
        </Match>
      </Switch>
      <p>{t('verifyHelp', { name: name() })}</p>
      <p class='safety-number' data-testid='safety-number' aria-label={t('safetyNumberLabel')}>
        <For each={safetyNumberGroups(props.safetyNumber)}>{(g) => <span>{g}</span>}</For>
      </p>
      <QrCode text={encodeVerificationCode(props.safetyNumber)} label={t('qrLabel')} />
      <div class='verify-actions'>
        <button
          ref={scanButton}
          type='button'
          data-testid='scan-button'
          disabled={scanning()}
          onClick={() => {
            setStatus('starting')
            setScanning(true)
          }}
        >
          {t('verifyScan')}
        </button>
        <Show
          when={isVerified()}
          fallback={
            <button
              type='button'
              class='secondary'
              aria-describedby='mark-help'
              onClick={() => {
                props.verified.mark(props.peer, 'compared')
                setStatus('marked')
              }}
            >
              {t('verifyMark')}
            </button>
          }
        >
          <button
            type='button'
            class='secondary'
            onClick={() => {
              props.verified.clear(props.peer)
              setStatus('cleared')
            }}
          >
            {t('verifyClear')}
          </button>
        </Show>
      </div>
      <Show when={!isVerified()}>
        <p id='mark-help' class='hint'>{t('verifyMarkHelp', { name: name() })}</p>
      </Show>
      <Show when={scanning()}>
        <ScanPanel
          name={name()}
          t={t}
          onText={onText}
          onStarted={(result) => {
            if (result.ok) setStatus('scanning')
            else if (result.reason !== 'cancelled') closeScan(result.reason)
          }}
          onCancel={() => closeScan('idle')}
        />
      </Show>
      <p
        role='status'
        aria-live='polite'
        data-testid='verify-status'
        data-status={status()}
        class={WARNINGS.includes(status()) ? 'verify-status verify-warning' : 'verify-status'}
      >
        {message()}
      </p>
    </section>
  )
}
