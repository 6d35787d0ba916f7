// The UI's translator: a locale signal and a typed `t(key, args)` over flat dictionaries, built on
// @solid-primitives/i18n. English ships in the first bundle; the other languages load when chosen
// (until then, and for any gap, English shows). Peer text never goes through templates.

import * as i18n from '@solid-primitives/i18n'
import { type Accessor, createMemo, createSignal } from 'solid-js'
import { en, type StringKey, type UiStrings } from './strings-en.ts'

/** Every language and how to load its dictionary. */
export const LOCALES = {
  en: () => Promise.resolve(en),
  es: () => import('./strings-es.ts').then((m) => m.es),
  fr: () => import('./strings-fr.ts').then((m) => m.fr),
  nl: () => import('./strings-nl.ts').then((m) => m.nl),
} as const satisfies Record<string, () => Promise<UiStrings>>
export type Locale = keyof typeof LOCALES
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  nl: 'Nederlands',
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(LOCALES, value)
}

/** The first of the browser's preferred languages we speak, else English. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0]
    if (isLocale(base)) return base
  }
  return 'en'
}

export type Translate = (key: StringKey, args?: Record<string, string | number>) => string

export interface I18nStore {
  locale: Accessor<Locale>
  setLocale(locale: Locale): Promise<void>
  t: Translate
}

export function createI18nStore(initial: Locale): I18nStore {
  const [locale, setLocaleSignal] = createSignal<Locale>('en')
  const [loaded, setLoaded] = createSignal<Partial<Record<Locale, UiStrings>>>({ en })
  const dict = createMemo<UiStrings>(() => loaded()[locale()] ?? en)
  const translate = i18n.translator(dict, i18n.resolveTemplate)
  const setLocale = async (next: Locale) => {
    if (!loaded()[next]) {
      const strings = await LOCALES[next]()
      setLoaded((all) => ({ ...all, [next]: strings }))
    }
    setLocaleSignal(next)
  }
  void setLocale(initial)
  return {
    locale,
    setLocale,
    t: (key, args) =>
      (translate as (k: string, a?: unknown) => string | undefined)(key, args) ?? en[key],
  }
}
