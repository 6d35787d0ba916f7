// The message composer: a labelled text field (Enter sends, Shift+Enter breaks the line).

import { createSignal } from 'solid-js'

export function Composer(props: {
  id: string
  label: string
  button: string
  onSend: (text: string) => boolean
  testId?: string
}) {
  const [draft, setDraft] = createSignal('')
  const send = () => {
    // Optimistic: clear at once, restore the draft if the engine refused it.
    const text = draft()
    setDraft('')
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
        onInput={(e) => setDraft(e.currentTarget.value)}
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
