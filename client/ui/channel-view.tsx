// Presentational channel view: message list and composer. Peer text is rendered as text nodes only.

import { createSignal, For, Show } from 'solid-js'
import type { ChannelStore } from './channel-store.ts'

function authorLabel(author: string, me: string): string {
  return author === me ? 'You' : `Device ${author.slice(0, 6)}`
}

function timeLabel(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

const REFUSALS: Record<string, string> = {
  revoked:
    'This device was removed from your organisation. Ask an administrator if this is a mistake.',
  'foreign-org': 'This server belongs to another organisation.',
  untrusted:
    'The server does not recognise this device yet. Ask your administrator to publish your approval.',
  'bad-credential': "This device's credentials are damaged. Join again with a new invite.",
  expired:
    "This device's certificate has expired. It is renewed while the device is in good standing; ask an administrator.",
}

function connectionLabel(status: string, peers: number, detail: string | undefined): string {
  switch (status) {
    case 'connecting':
      return 'Connecting…'
    case 'authenticating':
      return "Proving this device's membership…"
    case 'refused':
      return REFUSALS[detail ?? ''] ??
        `The server refused this device (${detail ?? 'no reason given'}).`
    case 'closed':
      return detail && REFUSALS[detail]
        ? REFUSALS[detail]
        : 'Offline — messages are kept and sent later'
  }
  return peers === 0
    ? 'Online — waiting for other devices'
    : `Online — ${peers} device${peers === 1 ? '' : 's'} connected`
}

export function ChannelView(props: { name: string; store: ChannelStore }) {
  const [draft, setDraft] = createSignal('')
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    props.store.post(draft())
    setDraft('')
  }
  return (
    <main class='channel' aria-labelledby='channel-title'>
      <header class='channel-header'>
        <h1 id='channel-title'># {props.name}</h1>
        <p class='connection' role='status' data-testid='connection'>
          {connectionLabel(props.store.status(), props.store.peers(), props.store.detail())}
        </p>
      </header>
      <ol class='messages' aria-label='Messages' aria-live='polite' data-testid='messages'>
        <Show when={props.store.messages().length === 0}>
          <li class='empty'>No messages yet. Say hello.</li>
        </Show>
        <For each={props.store.messages()}>
          {(m) => (
            <li class='message' data-testid='message' data-author={m.author}>
              <span class='author'>{authorLabel(m.author, props.store.me)}</span>
              <time class='time' datetime={new Date(m.sentAt).toISOString()}>
                {timeLabel(m.sentAt)}
              </time>
              <p class='text'>{m.text}</p>
            </li>
          )}
        </For>
      </ol>
      <form class='composer' onSubmit={submit}>
        <label for='composer-input' class='visually-hidden'>Message #{props.name}</label>
        <input
          id='composer-input'
          data-testid='composer'
          autocomplete='off'
          placeholder={`Message #${props.name}`}
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          maxLength={16000}
        />
        <button type='submit' disabled={draft().trim() === ''}>Send</button>
      </form>
    </main>
  )
}
