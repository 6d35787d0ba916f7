// One message: author, time, markdown body, edited/deleted marks, reactions, thread count, delivery
// state for our own messages, and the actions (reply in thread, react, edit, delete).

import { createSignal, For, type JSX, Show } from 'solid-js'
import type { MessageItem } from '../channels/channel-port.ts'
import type { ChannelStore } from '../channels/channel-store.ts'
import type { Translate } from '../i18n/i18n.ts'
import type { StringKey } from '../i18n/strings-en.ts'
import { Markdown } from './markdown-view.tsx'

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉']

const DELIVERY_LABEL: Record<string, StringKey> = {
  pending: 'deliveryPending',
  sent: 'deliverySent',
  relayed: 'deliveryRelayed',
  delivered: 'deliveryDelivered',
  read: 'deliveryRead',
}
const DELIVERY_MARK: Record<string, string> = {
  pending: '🕓',
  sent: '✓',
  relayed: '✓',
  delivered: '✓✓',
  read: '✓✓',
}

/** One formatter per language for every row: building one per call costs ~0.1 ms each. */
const timeFormats = new Map<string, Intl.DateTimeFormat>()

export function timeLabel(ms: number, locale = document.documentElement.lang || 'en'): string {
  let format = timeFormats.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })
    timeFormats.set(locale, format)
  }
  return format.format(ms)
}

export interface MessageViewProps {
  message: MessageItem
  store: ChannelStore
  t: Translate
  authorName: string
  myName?: string
  /** Shown in the main list, not inside a thread. */
  onOpenThread?: (id: string) => void
  canPost: boolean
  /** An admin in an org channel may delete anyone's message (moderation). */
  canModerate?: boolean
}

export function MessageView(props: MessageViewProps): JSX.Element {
  const [editing, setEditing] = createSignal(false)
  const [draft, setDraft] = createSignal('')
  const m = () => props.message
  const mine = () => m().author === props.store.me
  const caps = props.store.capabilities
  const save = (event: SubmitEvent) => {
    event.preventDefault()
    if (props.store.edit(m().id, draft())) setEditing(false)
  }
  const remove = () => {
    if (globalThis.confirm(props.t('confirmDelete'))) props.store.remove(m().id)
  }
  return (
    <article
      class='message'
      classList={{ mine: mine(), deleted: m().deleted }}
      data-testid='message'
      data-id={m().id}
      data-author={m().author}
      aria-label={props.authorName}
      // Focusable, so a tap or Tab reveals the message's actions.
      tabIndex={0}
    >
      <header class='message-head'>
        <span class='author'>{props.authorName}</span>
        <time class='time' datetime={new Date(m().sentAt).toISOString()}>
          {timeLabel(m().sentAt)}
        </time>
        <Show when={m().edited && !m().deleted}>
          <span class='edited' data-testid='edited'>{props.t('edited')}</span>
        </Show>
        <Show when={mine() && m().delivery}>
          {(d) => (
            <span
              class='delivery'
              data-testid='delivery'
              data-state={d()}
              title={props.t(DELIVERY_LABEL[d()])}
            >
              <span aria-hidden='true'>{DELIVERY_MARK[d()]}</span>
              <span class='visually-hidden'>{props.t(DELIVERY_LABEL[d()])}</span>
            </span>
          )}
        </Show>
      </header>
      <Show
        when={!editing()}
        fallback={
          <form class='edit-form' onSubmit={save}>
            <label class='visually-hidden' for={`edit-${m().id}`}>{props.t('editLabel')}</label>
            <textarea
              id={`edit-${m().id}`}
              data-testid='edit-input'
              value={draft()}
              onInput={(e) => setDraft(e.currentTarget.value)}
              rows={2}
            />
            <button type='submit'>{props.t('save')}</button>
            <button type='button' class='secondary' onClick={() => setEditing(false)}>
              {props.t('cancel')}
            </button>
          </form>
        }
      >
        <div class='text' data-testid='message-text'>
          <Show when={!m().deleted} fallback={<p class='tombstone'>{props.t('deleted')}</p>}>
            <Markdown text={m().text} myName={props.myName} />
          </Show>
        </div>
      </Show>
      <Show when={m().reactions.length > 0}>
        <ul class='reactions' aria-label='Reactions'>
          <For each={m().reactions}>
            {(r) => (
              <li>
                <button
                  type='button'
                  class='reaction'
                  aria-pressed={r.mine}
                  data-testid='reaction'
                  disabled={!caps.react}
                  onClick={() => props.store.react(m().id, r.emoji, !r.mine)}
                >
                  {r.emoji} {r.count}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.onOpenThread && m().replies > 0}>
        <button
          type='button'
          class='link-button'
          data-testid='thread-count'
          onClick={() => props.onOpenThread!(m().id)}
        >
          {m().replies === 1 ? props.t('oneReply') : props.t('replies', { count: m().replies })}
        </button>
      </Show>
      <Show when={!m().deleted && !editing()}>
        <div
          class='actions'
          role='toolbar'
          aria-label={props.t('actionsFor', { author: props.authorName })}
        >
          <Show when={props.onOpenThread && caps.threads}>
            <button type='button' onClick={() => props.onOpenThread!(m().id)}>
              {props.t('replyInThread')}
            </button>
          </Show>
          <Show when={caps.react && props.canPost}>
            <For each={QUICK_REACTIONS}>
              {(emoji) => (
                <button
                  type='button'
                  class='emoji'
                  aria-label={props.t('react', { emoji })}
                  onClick={() => props.store.react(m().id, emoji, true)}
                >
                  {emoji}
                </button>
              )}
            </For>
          </Show>
          <Show when={mine() && caps.edit}>
            <button
              type='button'
              onClick={() => {
                setDraft(m().text)
                setEditing(true)
              }}
            >
              {props.t('edit')}
            </button>
          </Show>
          <Show when={(mine() || props.canModerate) && caps.remove}>
            <button type='button' onClick={remove}>{props.t('delete')}</button>
          </Show>
        </div>
      </Show>
    </article>
  )
}
