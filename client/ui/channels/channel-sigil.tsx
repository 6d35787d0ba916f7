// The mark before a channel's name: `@` for a DM, a lock for a private channel (named for screen
// readers), `#` otherwise.

import { Show } from 'solid-js'
import { useApp } from '../app-context.tsx'
import type { ChannelEntry } from './channels-store.ts'

export function ChannelSigil(props: { entry: ChannelEntry }) {
  const { i18n } = useApp()
  return (
    <Show when={props.entry.private} fallback={props.entry.kind === 'dm' ? '@ ' : '# '}>
      <span class='private-sigil' data-testid='private-channel'>
        <svg class='lock-icon' aria-hidden='true' viewBox='0 0 16 16' width='0.8em' height='0.8em'>
          <path
            d='M4.5 7V5a3.5 3.5 0 0 1 7 0v2'
            fill='none'
            stroke='currentColor'
            stroke-width='1.6'
          />
          <rect x='2.5' y='7' width='11' height='8' rx='1.5' fill='currentColor' />
        </svg>{' '}
        <span class='visually-hidden'>{i18n.t('privateChannel')}</span>
      </span>
    </Show>
  )
}
