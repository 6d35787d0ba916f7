// A channel screen: header with the connection line, the message list, the composer (or the
// read-only note of a broadcast channel), and the thread panel beside it.

import { createEffect, createMemo, createSignal, on, onCleanup, Show } from 'solid-js'
import { useApp } from './app-context.tsx'
import type { ChannelEntry } from './channels/channels-store.ts'
import { ChannelSigil } from './channels/channel-sigil.tsx'
import type { ChannelStore } from './channels/channel-store.ts'
import { connectionLabel } from './channels/connection-label.ts'
import { firstUnreadId } from './channels/unread.ts'
import { Composer } from './messages/composer.tsx'
import { MessageList } from './messages/message-list.tsx'
import { MessageView } from './messages/message-view.tsx'
import { ThreadPanel } from './messages/thread-panel.tsx'
import { useAuthorName } from './messages/author-name.ts'

export function ChannelView(props: { entry: ChannelEntry; store: ChannelStore }) {
  const app = useApp()
  const t = app.i18n.t
  const authorName = useAuthorName()
  const [thread, setThread] = createSignal<string>()
  // The divider stays where it was when the channel opened, even as we mark things read.
  const dividerAt = createMemo(
    on(() => props.entry.key, () =>
      firstUnreadId(
        props.store.messages(),
        props.store.me,
        app.channels.readMark(props.entry.key),
      )),
  )
  const markRead = () => {
    if (document.visibilityState === 'visible') app.channels.markRead(props.entry.key)
  }
  createEffect(on(() => props.store.messages(), markRead))
  document.addEventListener('visibilitychange', markRead)
  onCleanup(() => document.removeEventListener('visibilitychange', markRead))
  // A DM with a colleague whose safety number this device verified says so in its header.
  const peerVerified = () => {
    if (props.entry.kind !== 'dm') return false
    const peer = app.org.members().find((m) => `dm-${m.device}` === props.entry.key)
    return !!peer && app.verified.isVerified(peer)
  }
  const privateMembers = () => app.org.privateMembers(props.entry.key.replace(/^org-/, ''))
  const myName = () => app.org.self()?.displayName ?? app.device.enrollment()?.displayName
  const names = (devices: string[]) => devices.map((d) => authorName(d, props.store.me)).join(', ')
  // Typing indicators go both ways: a device that does not share its own shows none.
  const typingLine = () => {
    const typing = app.settings.settings().shareTyping ? props.store.typing() : []
    if (typing.length === 0) return ''
    return typing.length === 1
      ? t('typingOne', { name: names(typing) })
      : t('typingMany', { names: names(typing) })
  }
  const canModerate = () =>
    props.entry.kind === 'org' && (app.org.self()?.roles.includes('admin') ?? false)
  return (
    <div class='channel-layout' classList={{ 'with-thread': !!thread() }}>
      <section class='channel' aria-labelledby='channel-title'>
        <header class='channel-header'>
          <a href='#/' class='back'>
            <span aria-hidden='true'>‹</span> <span class='visually-hidden'>{t('navBack')}</span>
          </a>
          <div>
            <h1 id='channel-title'>
              <ChannelSigil entry={props.entry} />
              {props.entry.name}
              <Show when={peerVerified()}>
                <span class='tag verified-tag' data-testid='verified-tag'>
                  <span aria-hidden='true'>✓</span> {t('verifiedTag')}
                </span>
              </Show>
            </h1>
            <Show when={props.entry.private}>
              <p class='channel-members' data-testid='channel-members'>
                {t('privateMembers', { names: privateMembers().join(', ') })}
              </p>
            </Show>
            <p class='connection' role='status' data-testid='connection'>
              {connectionLabel(t, props.store.status(), props.store.peers(), props.store.detail())}
            </p>
            <Show when={props.store.present().length > 0}>
              <p class='presence' data-testid='present'>
                {t('hereNow', { names: names(props.store.present()) })}
              </p>
            </Show>
          </div>
        </header>
        <MessageList
          messages={props.store.messages()}
          label={t('messagesLabel')}
          empty={t('emptyChannel')}
          testId='messages'
          firstUnread={dividerAt()}
          dividerLabel={t('newMessages')}
        >
          {(m) => (
            <MessageView
              message={m}
              store={props.store}
              t={t}
              authorName={authorName(m.author, props.store.me)}
              myName={myName()}
              onOpenThread={setThread}
              canPost={props.entry.canPost}
              canModerate={canModerate()}
            />
          )}
        </MessageList>
        <p class='typing' aria-live='polite' data-testid='typing'>
          {typingLine()}
        </p>
        <Show when={props.store.error()}>
          {(e) => <p class='error' role='alert'>{e()}</p>}
        </Show>
        <Show
          when={props.entry.canPost}
          fallback={<p class='read-only' data-testid='read-only'>{t('broadcastReadOnly')}</p>}
        >
          <Composer
            id='composer-input'
            testId='composer'
            label={t(
              props.entry.kind === 'dm' ? 'composerLabelDirect' : 'composerLabel',
              { name: props.entry.name },
            )}
            button={t('send')}
            onSend={(text) => props.store.post(text)}
            onTyping={(on) => app.settings.settings().shareTyping && props.store.setTyping(on)}
          />
        </Show>
      </section>
      <Show when={thread()}>
        {(id) => (
          <ThreadPanel
            rootId={id()}
            store={props.store}
            canPost={props.entry.canPost}
            onClose={() => setThread(undefined)}
          />
        )}
      </Show>
    </div>
  )
}

/** An org channel this device cannot open yet (its sender key has not arrived). */
export function PendingChannelView(props: { entry: ChannelEntry }) {
  const { i18n } = useApp()
  return (
    <section class='channel' aria-labelledby='channel-title'>
      <header class='channel-header'>
        <a href='#/' class='back'>
          <span aria-hidden='true'>‹</span> <span class='visually-hidden'>{i18n.t('navBack')}</span>
        </a>
        <h1 id='channel-title'># {props.entry.name}</h1>
      </header>
      <p class='empty notice-inline'>{i18n.t('orgChannelWaiting')}</p>
      <Show when={!props.entry.canPost}>
        <p class='read-only' data-testid='read-only'>{i18n.t('broadcastReadOnly')}</p>
      </Show>
    </section>
  )
}
