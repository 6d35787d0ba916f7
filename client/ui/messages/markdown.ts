// The markdown subset of messages: marked's lexer turns peer text into tokens, and this file turns
// the tokens we support into a small typed tree. Nothing here produces HTML; anything outside the
// subset (raw HTML, images, tables, headings) comes back as its literal text.

import { Lexer, type Token, type Tokens } from 'marked'

export type MdNode =
  | { type: 'text'; text: string }
  | { type: 'mention'; name: string }
  | { type: 'strong' | 'em' | 'del' | 'paragraph' | 'quote'; children: MdNode[] }
  | { type: 'code'; text: string }
  | { type: 'codeblock'; text: string }
  | { type: 'link'; href: string; children: MdNode[] }
  | { type: 'list'; ordered: boolean; items: MdNode[][] }
  | { type: 'br' }

const SAFE_LINK = /^(https?:|mailto:)/i
const MENTION = /(^|[^\p{L}\p{N}_])@([\p{L}\p{N}_][\p{L}\p{N}_.-]{0,63})/gu
/** Lexing is linear in marked, but a huge paste should not even try. */
const MAX_MARKDOWN_LENGTH = 8000

/** Splits literal text into text and @mention nodes. */
export function splitMentions(text: string): MdNode[] {
  const out: MdNode[] = []
  let last = 0
  for (const m of text.matchAll(MENTION)) {
    const start = m.index! + m[1].length
    if (start > last) out.push({ type: 'text', text: text.slice(last, start) })
    out.push({ type: 'mention', name: m[2] })
    last = start + 1 + m[2].length
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) })
  return out
}

function inline(tokens: Token[] | undefined): MdNode[] {
  const out: MdNode[] = []
  for (const token of tokens ?? []) out.push(...inlineToken(token))
  return out
}

function inlineToken(token: Token): MdNode[] {
  switch (token.type) {
    case 'text': {
      const t = token as Tokens.Text
      return t.tokens ? inline(t.tokens) : splitMentions(t.text)
    }
    case 'escape':
      return [{ type: 'text', text: (token as Tokens.Escape).text }]
    case 'strong':
    case 'em':
    case 'del':
      return [{ type: token.type, children: inline((token as Tokens.Strong).tokens) }]
    case 'codespan':
      return [{ type: 'code', text: (token as Tokens.Codespan).text }]
    case 'br':
      return [{ type: 'br' }]
    case 'link': {
      const l = token as Tokens.Link
      if (!SAFE_LINK.test(l.href)) return [{ type: 'text', text: l.raw }]
      return [{ type: 'link', href: l.href, children: inline(l.tokens) }]
    }
    default:
      // Raw HTML, images and anything else: the characters the author typed.
      return [{ type: 'text', text: token.raw }]
  }
}

function block(tokens: Token[]): MdNode[] {
  const out: MdNode[] = []
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        break
      case 'paragraph':
        out.push({ type: 'paragraph', children: inline((token as Tokens.Paragraph).tokens) })
        break
      case 'text': {
        const t = token as Tokens.Text
        out.push({
          type: 'paragraph',
          children: t.tokens ? inline(t.tokens) : splitMentions(t.text),
        })
        break
      }
      case 'code':
        out.push({ type: 'codeblock', text: (token as Tokens.Code).text })
        break
      case 'blockquote':
        out.push({ type: 'quote', children: block((token as Tokens.Blockquote).tokens) })
        break
      case 'list': {
        const l = token as Tokens.List
        out.push({ type: 'list', ordered: l.ordered, items: l.items.map((i) => block(i.tokens)) })
        break
      }
      default:
        out.push({ type: 'paragraph', children: [{ type: 'text', text: token.raw.trimEnd() }] })
    }
  }
  return out
}

export function parseMarkdown(text: string): MdNode[] {
  if (text.length > MAX_MARKDOWN_LENGTH) {
    return [{ type: 'paragraph', children: [{ type: 'text', text }] }]
  }
  const tokens = new Lexer({ gfm: true, breaks: true }).lex(text)
  return block(tokens)
}

/** The plain text of a tree (for search snippets and notifications). */
export function plainText(nodes: MdNode[]): string {
  return nodes.map((n) => {
    switch (n.type) {
      case 'text':
      case 'code':
      case 'codeblock':
        return n.text
      case 'mention':
        return `@${n.name}`
      case 'br':
        return '\n'
      case 'list':
        return n.items.map(plainText).join('\n')
      default:
        return plainText(n.children)
    }
  }).join('')
}
