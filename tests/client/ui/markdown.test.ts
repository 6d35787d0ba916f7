// The markdown subset: what peers type becomes a tree of text and a few safe elements; markup
// outside the subset comes back as the characters typed.
import { describe, expect, it } from 'vitest'
import {
  type MdNode,
  parseMarkdown,
  plainText,
  splitMentions,
} from '../../../client/ui/messages/markdown.ts'

const flat = (nodes: MdNode[]): MdNode[] =>
  nodes.flatMap((n) =>
    'children' in n
      ? [n, ...flat(n.children)]
      : n.type === 'list'
      ? [n, ...n.items.flatMap(flat)]
      : [n]
  )

describe('markdown subset', () => {
  it('bold, italic, strike, code and code blocks become elements', () => {
    const nodes = flat(parseMarkdown('**b** *i* ~~s~~ `c`\n\n```\nblock\n```'))
    const types = nodes.map((n) => n.type)
    for (const t of ['strong', 'em', 'del', 'code', 'codeblock']) expect(types).toContain(t)
  })

  it('raw HTML from a peer stays text, character for character', () => {
    const text = 'hi <b>bold</b> <img src=x onerror=alert(1)> <script>alert(1)</script>'
    const nodes = parseMarkdown(text)
    expect(plainText(nodes)).toBe(text)
    expect(flat(nodes).every((n) => ['paragraph', 'text'].includes(n.type))).toBe(true)
  })

  it('only http(s) and mailto links become links', () => {
    const nodes = flat(
      parseMarkdown('[a](javascript:alert(1)) [b](https://ok.example) [c](data:x)'),
    )
    const links = nodes.filter((n) => n.type === 'link')
    expect(links).toEqual([
      { type: 'link', href: 'https://ok.example', children: [{ type: 'text', text: 'b' }] },
    ])
    expect(plainText(parseMarkdown('[a](javascript:alert(1))'))).toBe('[a](javascript:alert(1))')
  })

  it('mentions are found at word starts, not inside addresses', () => {
    expect(splitMentions('hey @ana and @Ben.K, mail x@y.z')).toEqual([
      { type: 'text', text: 'hey ' },
      { type: 'mention', name: 'ana' },
      { type: 'text', text: ' and ' },
      { type: 'mention', name: 'Ben.K' },
      { type: 'text', text: ', mail x@y.z' },
    ])
  })

  it('lists and quotes keep their structure', () => {
    const [list, quote] = parseMarkdown('- one\n- two\n\n> said')
    expect(list).toMatchObject({ type: 'list', ordered: false })
    expect(list.type === 'list' && list.items.length).toBe(2)
    expect(quote.type).toBe('quote')
  })

  it('a huge paste is not lexed at all', () => {
    const text = '*'.repeat(9000)
    expect(parseMarkdown(text)).toEqual([{ type: 'paragraph', children: [{ type: 'text', text }] }])
  })
})
