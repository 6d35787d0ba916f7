// Settings: display name (from the certificate), language, background notifications, and the
// passphrase lock.

import { createSignal, For, Show } from 'solid-js'
import { useApp } from '../app-context.tsx'
import { isLocale, LOCALE_NAMES, LOCALES } from '../i18n/i18n.ts'

export function SettingsView() {
  const app = useApp()
  const t = app.i18n.t
  const [passphrase, setPassphrase] = createSignal('')
  const [saved, setSaved] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [denied, setDenied] = createSignal(false)
  const [passkeyStatus, setPasskeyStatus] = createSignal<string>()
  const usePasskey = async () => {
    setBusy(true)
    const result = await app.lock.usePasskey(app.device.enrollment()?.displayName ?? 'Conch')
    setBusy(false)
    setPasskeyStatus(result === 'saved' ? t('passkeySaved') : t('passkeyFailed'))
  }
  const savePassphrase = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    const result = await app.lock.setPassphrase(passphrase())
    setBusy(false)
    setSaved(result === 'saved' ? t('passphraseSaved') : t('passphraseTooShort'))
    if (result === 'saved') setPassphrase('')
  }
  const toggleNotifications = async (on: boolean) => {
    if (on && 'Notification' in globalThis && Notification.permission !== 'granted') {
      const permission = await Notification.requestPermission()
      if (permission !== 'granted') {
        setDenied(true)
        app.settings.update({ notifications: false })
        return
      }
    }
    setDenied(false)
    app.settings.update({ notifications: on })
  }
  return (
    <section class='page' aria-labelledby='settings-title'>
      <header class='page-header'>
        <a href='#/' class='back'>
          <span aria-hidden='true'>‹</span> <span class='visually-hidden'>{t('navBack')}</span>
        </a>
        <h1 id='settings-title'>{t('settingsTitle')}</h1>
      </header>
      <div class='stack'>
        <label for='display-name-setting'>{t('displayName')}</label>
        <input
          id='display-name-setting'
          readOnly
          value={app.device.enrollment()?.displayName ?? ''}
          aria-describedby='display-name-help'
        />
        <p id='display-name-help' class='help'>{t('displayNameHelp')}</p>

        <label for='language'>{t('language')}</label>
        <select
          id='language'
          data-testid='language'
          value={app.i18n.locale()}
          onChange={(e) => {
            const v = e.currentTarget.value
            if (isLocale(v)) {
              void app.i18n.setLocale(v)
              app.settings.update({ locale: v })
            }
          }}
        >
          <For each={Object.keys(LOCALES)}>
            {(code) => <option value={code}>{LOCALE_NAMES[code as keyof typeof LOCALES]}</option>}
          </For>
        </select>

        <div class='checkbox'>
          <input
            id='notifications'
            type='checkbox'
            checked={app.settings.settings().notifications}
            onChange={(e) => void toggleNotifications(e.currentTarget.checked)}
          />
          <label for='notifications'>{t('notifications')}</label>
        </div>
        <Show when={denied()}>
          <p class='error' role='alert'>{t('notificationsDenied')}</p>
        </Show>
        <div class='checkbox'>
          <input
            id='share-typing'
            type='checkbox'
            data-testid='share-typing'
            checked={app.settings.settings().shareTyping}
            onChange={(e) => app.settings.update({ shareTyping: e.currentTarget.checked })}
          />
          <label for='share-typing'>{t('shareTyping')}</label>
        </div>

        <h2>{t('lockTitle')}</h2>
        <p class='help'>{t('lockHelp')}</p>
        <p data-testid='lock-state'>
          {app.lock.hasPasskey()
            ? t('passkeyOn')
            : app.lock.hasPassphrase()
            ? t('lockOn')
            : t('lockOff')}
        </p>
        <form class='stack' onSubmit={savePassphrase}>
          <label for='new-passphrase'>{t('newPassphrase')}</label>
          <input
            id='new-passphrase'
            type='password'
            autocomplete='new-password'
            data-testid='new-passphrase'
            value={passphrase()}
            onInput={(e) => setPassphrase(e.currentTarget.value)}
          />
          <button type='submit' disabled={busy() || passphrase() === ''}>
            {app.lock.hasPassphrase() ? t('lockChange') : t('lockSet')}
          </button>
          <Show when={saved()}>
            {(s) => <p role='status' data-testid='passphrase-status'>{s()}</p>}
          </Show>
        </form>
        <Show when={app.lock.passkeysAvailable()}>
          <button type='button' class='secondary' data-testid='use-passkey' onClick={usePasskey}>
            {t('usePasskey')}
          </button>
        </Show>
        <Show when={passkeyStatus()}>
          {(s) => <p role='status' data-testid='passkey-status'>{s()}</p>}
        </Show>
        <Show when={app.lock.hasPassphrase() || app.lock.hasPasskey()}>
          <button type='button' class='secondary' onClick={() => location.reload()}>
            {t('lockNow')}
          </button>
        </Show>
      </div>
    </section>
  )
}
