// A virtualized message list (@tanstack/solid-virtual): only the rows on screen exist in the DOM,
// so a 10,000-message channel paints as fast as a short one. Sticks to the bottom as messages
// arrive unless the reader has scrolled up.

import { createVirtualizer } from '@tanstack/solid-virtual'
import { createEffect, For, type JSX, on, onMount, Show } from 'solid-js'
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
    overscan: 8,
    getItemKey: (i) => props.messages[i]?.id ?? i,
  })
  const toBottom = () => {
    if (props.messages.length) {
      virtualizer.scrollToIndex(props.messages.length - 1, { align: 'end' })
    }
  }
  onMount(toBottom)
  createEffect(on(() => props.messages.length, () => {
    if (stick) queueMicrotask(toBottom)
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
        <For each={virtualizer.getVirtualItems()}>
          {(row) => {
            const m = () => props.messages[row.index]
            return (
              <Show when={m()}>
                {(msg) => (
                  <div
                    class='row'
                    data-index={row.index}
                    ref={(el) => queueMicrotask(() => virtualizer.measureElement(el))}
                    style={{ transform: `translateY(${row.start}px)` }}
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
