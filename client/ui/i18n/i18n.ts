// The UI's translator: a locale signal and a typed `t(key, args)` over flat dictionaries, built on
// @solid-primitives/i18n. Peer text never goes through templates; only our own strings do.

import * as i18n from '@solid-primitives/i18n'
import { type Accessor, createMemo, createSignal } from 'solid-js'
import { en, type StringKey, type UiStrings } from './strings-en.ts'
import { es } from './strings-es.ts'
import { fr } from './strings-fr.ts'
import { nl } from './strings-nl.ts'

export const LOCALES = { en, es, fr, nl } as const
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
  setLocale(locale: Locale): void
  t: Translate
}

export function createI18nStore(initial: Locale): I18nStore {
  const [locale, setLocale] = createSignal<Locale>(initial)
  const dict = createMemo<UiStrings>(() => LOCALES[locale()])
  const translate = i18n.translator(dict, i18n.resolveTemplate)
  return {
    locale,
    setLocale,
    t: (key, args) =>
      (translate as (k: string, a?: unknown) => string | undefined)(key, args) ?? en[key],
  }
}
