// The message composer: a labelled text field (Enter sends, Shift+Enter breaks the line).

import { createSignal } from 'solid-js'

/** Renew the typing signal this often while typing goes on (peers drop it after 6 s). */
const TYPING_RENEW_MS = 3_000

export function Composer(props: {
  id: string
  label: string
  button: string
  onSend: (text: string) => boolean
  /** Typing started (renewed every few seconds while it goes on) or stopped. */
  onTyping?: (on: boolean) => void
  testId?: string
}) {
  const [draft, setDraft] = createSignal('')
  let lastTyping = 0
  const typing = (text: string) => {
    if (!props.onTyping) return
    if (text.trim() === '') {
      if (lastTyping) props.onTyping(false)
      lastTyping = 0
    } else if (Date.now() - lastTyping > TYPING_RENEW_MS) {
      lastTyping = Date.now()
      props.onTyping(true)
    }
  }
  const send = () => {
    // Optimistic: clear at once, restore the draft if the engine refused it.
    const text = draft()
    setDraft('')
    typing('')
    if (!props.onSend(text)) setDraft(text)
  }
  return (
    <form
      class='composer'
      onSubmit={(e) => {
        e.preventDefault()
        send()
      }}
    >
      <label for={props.id} class='visually-hidden'>{props.label}</label>
      <textarea
        id={props.id}
        data-testid={props.testId}
        autocomplete='off'
        rows={1}
        placeholder={props.label}
        value={draft()}
        maxLength={16000}
        onInput={(e) => {
          setDraft(e.currentTarget.value)
          typing(e.currentTarget.value)
        }}
        onBlur={() => typing('')}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault()
            send()
          }
        }}
      />
      <button type='submit' disabled={draft().trim() === ''}>{props.button}</button>
    </form>
  )
}
