// Search as you type across every channel on this device; a hit opens its channel.

import { createMemo, createSignal, For, Show } from 'solid-js'
import { useApp } from '../app-context.tsx'
import { useAuthorName } from '../messages/author-name.ts'
import { parseMarkdown, plainText } from '../messages/markdown.ts'
import { timeLabel } from '../messages/message-view.tsx'
import { ChannelSigil } from '../channels/channel-sigil.tsx'

export function SearchView() {
  const app = useApp()
  const t = app.i18n.t
  const authorName = useAuthorName()
  const [query, setQuery] = createSignal('')
  const hits = createMemo(() => app.search.query(query()))
  return (
    <section class='page' aria-labelledby='search-title'>
      <header class='page-header'>
        <a href='#/' class='back'>
          <span aria-hidden='true'>‹</span> <span class='visually-hidden'>{t('navBack')}</span>
        </a>
        <h1 id='search-title'>{t('searchTitle')}</h1>
      </header>
      <label for='search-input' class='visually-hidden'>{t('searchLabel')}</label>
      <input
        id='search-input'
        type='search'
        data-testid='search-input'
        class='search-input'
        placeholder={t('searchLabel')}
        value={query()}
        onInput={(e) => setQuery(e.currentTarget.value)}
        autofocus
      />
      <Show when={query().trim()} fallback={<p class='empty'>{t('searchHint')}</p>}>
        <Show
          when={hits().length > 0}
          fallback={<p class='empty' role='status'>{t('searchNone')}</p>}
        >
          <ul class='search-results' aria-live='polite'>
            <For each={hits()}>
              {(hit) => (
                <li data-testid='search-hit'>
                  <a href={`#/c/${hit.channel}`}>
                    <span class='hit-channel'>
                      <Show
                        when={app.channels.entries().find((e) => e.key === hit.channel)}
                        fallback='# '
                      >
                        {(entry) => <ChannelSigil entry={entry()} />}
                      </Show>
                      {app.channels.nameOf(hit.channel)}
                    </span>
                    <span class='hit-meta'>
                      {authorName(hit.author, app.channels.store(hit.channel)?.me ?? app.org.me)} ·
                      {' '}
                      {timeLabel(hit.sentAt)}
                    </span>
                    <span class='hit-text'>{plainText(parseMarkdown(hit.text))}</span>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </section>
  )
}
