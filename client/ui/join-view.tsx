// Onboarding: choose a display name, request access, then paste the administrator's approval.

import { createSignal, Show } from 'solid-js'
import { base64url } from '../../crypto/codec/bytes.ts'
import type { Invite } from '../../crypto/membership/invitation.ts'
import type { DeviceStore } from './device-store.ts'
import type { Translate } from './i18n/i18n.ts'

export function JoinView(
  props: { invite: Invite; device: DeviceStore; onJoined: () => void; t: Translate },
) {
  const t = props.t
  const [name, setName] = createSignal('')
  const [approval, setApproval] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const org = () => base64url(props.invite.anchor.orgId).slice(0, 8)
  const request = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    await props.device.requestAccess(props.invite, name())
    setBusy(false)
  }
  const finish = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    const ok = await props.device.finishJoining(approval())
    setBusy(false)
    if (ok) props.onJoined()
  }
  return (
    <main class='notice' aria-labelledby='join-title'>
      <h1 id='join-title'>{t('joinTitle', { org: org() })}</h1>
      <Show
        when={props.device.pending()}
        fallback={
          <form onSubmit={request} class='stack'>
            <p>{t('joinIntro')}</p>
            <label for='display-name'>{t('joinName')}</label>
            <input
              id='display-name'
              data-testid='display-name'
              autocomplete='name'
              maxLength={64}
              value={name()}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <button type='submit' disabled={busy() || name().trim() === ''}>
              {t('requestAccess')}
            </button>
          </form>
        }
      >
        <form onSubmit={finish} class='stack'>
          <p role='status'>{t('waitingApproval')}</p>
          <label for='request-code'>{t('requestCode')}</label>
          <textarea
            id='request-code'
            data-testid='request-code'
            readOnly
            rows={4}
            value={props.device.requestCode() ?? ''}
          />
          <button
            type='button'
            onClick={() => navigator.clipboard?.writeText(props.device.requestCode() ?? '')}
          >
            {t('copyRequest')}
          </button>
          <label for='approval-code'>{t('approvalCode')}</label>
          <textarea
            id='approval-code'
            data-testid='approval-code'
            rows={4}
            value={approval()}
            onInput={(e) => setApproval(e.currentTarget.value)}
          />
          <button type='submit' disabled={busy() || approval().trim() === ''}>
            {t('finishJoining')}
          </button>
        </form>
      </Show>
      <Show when={props.device.error()}>
        {(key) => <p class='error' role='alert' data-testid='join-error'>{t(key())}</p>}
      </Show>
    </main>
  )
}
