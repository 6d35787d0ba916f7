// A virtualized message list (@tanstack/solid-virtual): only the rows on screen exist in the DOM,
// so a 10,000-message channel paints as fast as a short one. Sticks to the bottom as messages
// arrive unless the reader has scrolled up.

import { createVirtualizer } from '@tanstack/solid-virtual'
import { createEffect, createMemo, For, type JSX, on, Show } from 'solid-js'
import type { MessageItem } from '../channels/channel-port.ts'

export function MessageList(props: {
  messages: MessageItem[]
  label: string
  empty: string
  testId?: string
  /** Id of the first unread message: a divider goes above it. */
  firstUnread?: string
  dividerLabel: string
  children: (m: MessageItem) => JSX.Element
}) {
  let scroller!: HTMLDivElement
  let stick = true
  const virtualizer = createVirtualizer({
    get count() {
      return props.messages.length
    },
    getScrollElement: () => scroller,
    estimateSize: () => 64,
    overscan: 6,
    getItemKey: (i) => props.messages[i]?.id ?? i,
    // Open at the newest message without walking the list (scrollToIndex measures as it goes).
    initialOffset: () => props.messages.length * 64,
  })
  const items = createMemo(() => virtualizer.getVirtualItems())
  const byKey = createMemo(() => new Map(items().map((v) => [v.key, v])))
  // Rows are keyed by message id, so a scroll or a re-measure moves rows instead of rebuilding.
  const keys = createMemo(() => items().map((v) => v.key))
  const toBottom = () => {
    if (scroller) scroller.scrollTop = scroller.scrollHeight
  }
  createEffect(on(() => [props.messages.length, virtualizer.getTotalSize()], () => {
    if (stick) toBottom()
  }))
  return (
    <div
      class='messages'
      ref={scroller}
      tabIndex={0}
      role='log'
      aria-label={props.label}
      data-testid={props.testId}
      onScroll={() => {
        stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80
      }}
    >
      <Show when={props.messages.length === 0}>
        <p class='empty'>{props.empty}</p>
      </Show>
      <div class='virtual-space' style={{ height: `${virtualizer.getTotalSize()}px` }}>
        <For each={keys()}>
          {(key) => {
            const row = () => byKey().get(key)
            const m = () => {
              const r = row()
              return r && props.messages[r.index]
            }
            return (
              <Show when={m()}>
                {(msg) => (
                  <div
                    class='row'
                    data-index={row()?.index}
                    ref={(el) =>
                      queueMicrotask(() => el.isConnected && virtualizer.measureElement(el))}
                    style={{ transform: `translateY(${row()?.start ?? 0}px)` }}
                  >
                    <Show when={props.firstUnread === msg().id}>
                      <p class='unread-divider' data-testid='unread-divider'>
                        <span>{props.dividerLabel}</span>
                      </p>
                    </Show>
                    {props.children(msg())}
                  </div>
                )}
              </Show>
            )
          }}
        </For>
      </div>
    </div>
  )
}
