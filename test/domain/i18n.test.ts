import { describe, expect, it } from 'vitest'
import { en } from '../../src/i18n/en'
import { pl } from '../../src/i18n/pl'
import { it as itCatalog } from '../../src/i18n/it'
import { formatDate, formatMoney, languageFromHeader, translator } from '../../src/i18n'

describe('message catalogs', () => {
  it('Polish and Italian have every key of English, with the same parameters', () => {
    const params = (m: unknown) => [...JSON.stringify(m).matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort().join(',')
    for (const [name, catalog] of [['pl', pl], ['it', itCatalog]] as const) {
      expect(Object.keys(catalog).sort(), name).toEqual(Object.keys(en).sort())
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(new Set(params(catalog[key]).split(',')), `${name} ${key}`).toEqual(new Set(params(en[key]).split(',')))
      }
    }
  })

  it('are really translated: no Polish or Italian message equals its English one unless the word is the same there', () => {
    const same = (Object.keys(en) as (keyof typeof en)[]).filter(
      (k) => typeof en[k] === 'string' && (pl[k] === en[k] || itCatalog[k] === en[k]) && !/^(Kontor|E-mail|Back office|Password|Account|Outbox|Plan|PayPal)$/i.test(String(en[k])),
    )
    expect(same.filter((k) => !['app.name', 'common.email', 'register.email', 'account.email', 'ops.col.job', 'org.role.admin', 'catalog.plan', 'ops.statements.fileInfo', 'history.actor.operator', 'history.fallback', 'nav.menu', 'compare.limit'].includes(k))).toEqual([])
  })

  it('picks Polish plural forms right: 1 minuta, 2 minuty, 5 minut, 22 minuty, 25 minut', () => {
    const t = translator('pl')
    const forms = [1, 2, 5, 22, 25].map((count) => t('error.throttled.body', { count }).match(/\d+ \S+?(?=\.|$)/)![0])
    expect(forms).toEqual(['1 minutę', '2 minuty', '5 minut', '22 minuty', '25 minut'])
  })

  it('picks English and Italian singular and plural', () => {
    expect(translator('en')('account.sessions.count', { count: 1 })).toBe('1 active session')
    expect(translator('en')('account.sessions.count', { count: 3 })).toBe('3 active sessions')
    expect(translator('it')('account.sessions.count', { count: 1 })).not.toBe(translator('it')('account.sessions.count', { count: 2 }).replace('2', '1'))
  })
})

describe('language from Accept-Language', () => {
  it('takes the best supported language by quality', () => {
    expect(languageFromHeader('de-DE,de;q=0.9,it;q=0.8,pl;q=0.7')).toBe('it')
    expect(languageFromHeader('pl-PL')).toBe('pl')
    expect(languageFromHeader('fr, en;q=0.1')).toBe('en')
    expect(languageFromHeader('de')).toBeNull()
    expect(languageFromHeader(undefined)).toBeNull()
  })
})

describe('formatting', () => {
  it('formats money from minor units for each language', () => {
    expect(formatMoney('pl', 12345678, 'PLN').replace(/\s/g, ' ')).toBe('123 456,78 zł')
    // Polish groups thousands only from five digits on.
    expect(formatMoney('pl', 123456, 'PLN').replace(/\s/g, ' ')).toBe('1234,56 zł')
    expect(formatMoney('it', 5900, 'EUR').replace(/\s/g, ' ')).toBe('59,00 €')
    expect(formatMoney('en', 5900, 'EUR')).toBe('€59.00')
  })

  it('formats dates in the language and time zone asked for', () => {
    const d = new Date('2026-11-30T23:30:00Z')
    expect(formatDate('pl', d, 'Europe/Warsaw')).toBe('1 grudnia 2026')
    expect(formatDate('it', d, 'Europe/Rome')).toBe('1 dicembre 2026')
    expect(formatDate('en', d, 'UTC')).toBe('30 November 2026')
  })
})
