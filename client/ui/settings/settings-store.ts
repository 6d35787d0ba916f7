// UI state slice for this device's preferences (not secret, kept in localStorage): language and
// background notifications, typing indicators.

import { type Accessor, createSignal } from 'solid-js'
import { isLocale, type Locale } from '../i18n/i18n.ts'

export interface Settings {
  locale: Locale
  notifications: boolean
  /** Typing indicators, both ways (off: this device neither sends nor shows them). */
  shareTyping: boolean
}

export interface SettingsStore {
  settings: Accessor<Settings>
  update(patch: Partial<Settings>): void
}

export function parseSettings(text: string | null, fallback: Locale): Settings {
  const base: Settings = { locale: fallback, notifications: false, shareTyping: true }
  try {
    const v = JSON.parse(text ?? '{}') as Record<string, unknown>
    if (isLocale(v.locale)) base.locale = v.locale
    if (typeof v.notifications === 'boolean') base.notifications = v.notifications
    if (typeof v.shareTyping === 'boolean') base.shareTyping = v.shareTyping
  } catch {
    // Damaged preferences fall back to defaults.
  }
  return base
}

export function createSettingsStore(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  fallback: Locale,
): SettingsStore {
  const KEY = 'conch-settings'
  const [settings, setSettings] = createSignal(parseSettings(storage.getItem(KEY), fallback))
  return {
    settings,
    update(patch) {
      const next = { ...settings(), ...patch }
      setSettings(next)
      storage.setItem(KEY, JSON.stringify(next))
    },
  }
}
