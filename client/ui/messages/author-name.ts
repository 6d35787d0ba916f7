// How an author is named: "You", the member's display name from the org state, or a short id.

import { useApp } from '../app-context.tsx'

export function useAuthorName(): (author: string, me: string) => string {
  const { org, i18n } = useApp()
  return (author, me) =>
    author === me
      ? i18n.t('you')
      : org.nameOf(author) ?? i18n.t('unknownDevice', { id: author.slice(0, 6) })
}
