// Renders the markdown subset tree as Solid elements: every string is a text node, links are
// limited to http(s) and mailto and open without an opener. Mentions of me are highlighted.

import { createMemo, For, type JSX, Match, Switch } from 'solid-js'
import { type MdNode, parseMarkdown } from './markdown.ts'

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
      return (
        <strong>
          <Nodes nodes={n.children} myName={props.myName} />
        </strong>
      )
    case 'em':
      return (
        <em>
          <Nodes nodes={n.children} myName={props.myName} />
        </em>
      )
    case 'del':
      return (
        <del>
          <Nodes nodes={n.children} myName={props.myName} />
        </del>
      )
    case 'quote':
      return (
        <blockquote>
          <Nodes nodes={n.children} myName={props.myName} />
        </blockquote>
      )
    case 'paragraph':
      return (
        <p>
          <Nodes nodes={n.children} myName={props.myName} />
        </p>
      )
  }
}

export function Markdown(props: { text: string; myName?: string }) {
  const nodes = createMemo(() => parseMarkdown(props.text))
  return <Nodes nodes={nodes()} myName={props.myName?.toLowerCase()} />
}
