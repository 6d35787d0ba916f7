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
        <span aria-hidden='true'>🔒</span>
        <span class='visually-hidden'>{i18n.t('privateChannel')}</span>
      </span>
    </Show>
  )
}
