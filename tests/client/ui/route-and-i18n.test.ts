// Routes the shell understands, and the four dictionaries: same keys, same placeholders.
import { describe, expect, it } from 'vitest'
import { LOCALES, pickLocale } from '../../../client/ui/i18n/i18n.ts'
import { en } from '../../../client/ui/i18n/strings-en.ts'
import { parseRoute } from '../../../client/ui/route.ts'
import { parseSettings } from '../../../client/ui/settings/settings-store.ts'

describe('routes', () => {
  it('names every screen', () => {
    expect(parseRoute('')).toEqual({ kind: 'home' })
    expect(parseRoute('#/c/org-0a1b')).toEqual({ kind: 'open', key: 'org-0a1b' })
    expect(parseRoute('#/members')).toEqual({ kind: 'members' })
    expect(parseRoute(`#/members/${'ab'.repeat(16)}`)).toEqual({
      kind: 'member',
      device: 'ab'.repeat(16),
    })
    expect(parseRoute('#/search')).toEqual({ kind: 'search' })
    expect(parseRoute('#/settings')).toEqual({ kind: 'settings' })
  })

  it('refuses odd keys, device ids and damaged links, with a translatable reason', () => {
    expect(parseRoute('#/join/%%%')).toEqual({ kind: 'invalid', reason: 'linkInviteDamaged' })
    expect(parseRoute('#/channel/x/short')).toEqual({
      kind: 'invalid',
      reason: 'linkChannelKeyDamaged',
    })
    expect(parseRoute('#/c/<script>').kind).toBe('invalid')
    expect(parseRoute('#/members/zz').kind).toBe('invalid')
  })
})

describe('strings', () => {
  const placeholders = (s: string) =>
    [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort()

  for (const [code, load] of Object.entries(LOCALES)) {
    it(`${code} has every key, with the same placeholders, and nothing empty`, async () => {
      const dict = await load()
      expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort())
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(dict[key].trim(), `${code}.${key}`).not.toBe('')
        expect(placeholders(dict[key]), `${code}.${key}`).toEqual(placeholders(en[key]))
      }
    })
  }

  it('picks the first preferred language we speak', () => {
    expect(pickLocale(['de-DE', 'nl-BE', 'en'])).toBe('nl')
    expect(pickLocale(['ja'])).toBe('en')
  })

  it('settings fall back to defaults when damaged', () => {
    expect(parseSettings('{"locale":"fr","notifications":true}', 'en')).toEqual({
      locale: 'fr',
      notifications: true,
      shareTyping: true,
    })
    expect(parseSettings('{"shareTyping":false}', 'en').shareTyping).toBe(false)
    expect(parseSettings('{"shareTyping":"no"}', 'en').shareTyping).toBe(true)
    expect(parseSettings('{"locale":"xx"', 'es')).toEqual({
      locale: 'es',
      notifications: false,
      shareTyping: true,
    })
  })
})
