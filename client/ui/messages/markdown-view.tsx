// Renders the markdown subset tree as Solid elements: every string is a text node, links are
// limited to http(s) and mailto and open without an opener. Mentions of me are highlighted.

import { createMemo, For, type JSX, Match, Switch } from 'solid-js'
import { Dynamic } from 'solid-js/web'
import { type MdNode, parseMarkdown } from './markdown.ts'

/** Container nodes that map one to one onto an element around their children. */
const WRAPPERS = {
  strong: 'strong',
  em: 'em',
  del: 'del',
  quote: 'blockquote',
  paragraph: 'p',
} as const

function Nodes(props: { nodes: MdNode[]; myName?: string }): JSX.Element {
  return <For each={props.nodes}>{(n) => <Node node={n} myName={props.myName} />}</For>
}

function Node(props: { node: MdNode; myName?: string }): JSX.Element {
  const n = props.node
  switch (n.type) {
    case 'text':
      return <>{n.text}</>
    case 'mention':
      return (
        <span
          class='mention'
          classList={{ 'mention-me': !!props.myName && n.name.toLowerCase() === props.myName }}
        >
          @{n.name}
        </span>
      )
    case 'br':
      return <br />
    case 'code':
      return <code>{n.text}</code>
    case 'codeblock':
      return (
        <pre>
          <code>{n.text}</code>
        </pre>
      )
    case 'link':
      return (
        <a href={n.href} target='_blank' rel='noopener noreferrer nofollow'>
          <Nodes nodes={n.children} myName={props.myName} />
        </a>
      )
    case 'list':
      return (
        <Switch>
          <Match when={n.ordered}>
            <ol>
              <For each={n.items}>
                {(item) => (
                  <li>
                    <Nodes nodes={item} myName={props.myName} />
                  </li>
                )}
              </For>
            </ol>
          </Match>
          <Match when={!n.ordered}>
            <ul>
              <For each={n.items}>
                {(item) => (
                  <li>
                    <Nodes nodes={item} myName={props.myName} />
                  </li>
                )}
              </For>
            </ul>
          </Match>
        </Switch>
      )
    case 'strong':
    case 'em':
    case 'del':
    case 'quote':
    case 'paragraph':
      return (
        <Dynamic component={WRAPPERS[n.type]}>
          <Nodes nodes={n.children} myName={props.myName} />
        </Dynamic>
      )
  }
}

export function Markdown(props: { text: string; myName?: string }) {
  const nodes = createMemo(() => parseMarkdown(props.text))
  return <Nodes nodes={nodes()} myName={props.myName?.toLowerCase()} />
}
