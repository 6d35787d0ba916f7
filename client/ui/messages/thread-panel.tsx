// The thread panel: the message a thread hangs off, its replies, and a reply composer.

import { createMemo, For, Show } from 'solid-js'
import { useApp } from '../app-context.tsx'
import type { ChannelStore } from '../channels/channel-store.ts'
import { useAuthorName } from './author-name.ts'
import { Composer } from './composer.tsx'
import { MessageView } from './message-view.tsx'

export function ThreadPanel(props: {
  rootId: string
  store: ChannelStore
  canPost: boolean
  onClose: () => void
}) {
  const app = useApp()
  const t = app.i18n.t
  const authorName = useAuthorName()
  const root = createMemo(() => props.store.messages().find((m) => m.id === props.rootId))
  const replies = createMemo(() => props.store.thread(props.rootId))
  const myName = () => app.org.self()?.displayName
  return (
    <aside class='thread-panel' aria-labelledby='thread-title' data-testid='thread-panel'>
      <header class='thread-header'>
        <h2 id='thread-title'>{t('threadTitle')}</h2>
        <button type='button' class='secondary' onClick={() => props.onClose()}>
          {t('closeThread')}
        </button>
      </header>
      <div class='thread-body' role='log' aria-label={t('threadTitle')}>
        <Show when={root()}>
          {(m) => (
            <MessageView
              message={m()}
              store={props.store}
              t={t}
              authorName={authorName(m().author, props.store.me)}
              myName={myName()}
              canPost={props.canPost}
            />
          )}
        </Show>
        <For each={replies()}>
          {(m) => (
            <MessageView
              message={m}
              store={props.store}
              t={t}
              authorName={authorName(m.author, props.store.me)}
              myName={myName()}
              canPost={props.canPost}
            />
          )}
        </For>
      </div>
      <Show when={props.canPost}>
        <Composer
          id='thread-composer'
          testId='thread-composer'
          label={t('replyLabel')}
          button={t('replyButton')}
          onSend={(text) => props.store.post(text, props.rootId)}
        />
      </Show>
    </aside>
  )
}
