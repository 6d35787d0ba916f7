// The lock screen: nothing else renders until the passphrase unwraps the storage key.

import { createSignal, Show } from 'solid-js'
import type { Translate } from '../i18n/i18n.ts'
import type { LockStore } from './lock-store.ts'

export function LockView(props: { lock: LockStore; t: Translate }) {
  const [passphrase, setPassphrase] = createSignal('')
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (await props.lock.unlock(passphrase())) setPassphrase('')
  }
  return (
    <main class='notice' aria-labelledby='lock-title' data-testid='lock-screen'>
      <h1 id='lock-title'>{props.t('lockedTitle')}</h1>
      <Show when={props.lock.hasPasskey()}>
        <button
          type='button'
          data-testid='unlock-passkey'
          disabled={props.lock.state() === 'unlocking'}
          onClick={() => void props.lock.unlockWithPasskey()}
        >
          {props.t('unlockPasskey')}
        </button>
      </Show>
      <Show when={!props.lock.hasPasskey()}>
        <form class='stack' onSubmit={submit}>
          <label for='unlock-passphrase'>{props.t('passphrase')}</label>
          <input
            id='unlock-passphrase'
            type='password'
            autocomplete='current-password'
            data-testid='unlock-passphrase'
            value={passphrase()}
            onInput={(e) => setPassphrase(e.currentTarget.value)}
            autofocus
          />
          <button
            type='submit'
            disabled={props.lock.state() === 'unlocking' || passphrase() === ''}
          >
            {props.lock.state() === 'unlocking' ? props.t('unlocking') : props.t('unlock')}
          </button>
        </form>
      </Show>
      <Show when={props.lock.wrong()}>
        <p class='error' role='alert' data-testid='unlock-error'>
          {props.lock.hasPasskey() ? props.t('passkeyWrong') : props.t('wrongPassphrase')}
        </p>
      </Show>
    </main>
  )
}
