// Message lookup and locale-aware formatting for English, Polish and Italian (SPEC §16).
// The English catalog defines the keys; the others are typed against it, so a missing key fails `tsc`.
import { en } from './en'
import { it } from './it'
import { pl } from './pl'

export const LANGUAGES = ['en', 'pl', 'it'] as const
export type Language = (typeof LANGUAGES)[number]

/** Plural forms as Intl.PluralRules names them; Polish uses one / few / many, Italian and English one / other. */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }
export type Message = string | Plural
export type MessageKey = keyof typeof en
export type Catalog = Record<MessageKey, Message>
/** Keys that live in an area file (./areas/*.ts) rather than in the core catalogs. */
export type AreaKey =
  | keyof typeof import('./areas/billing').en
  | keyof typeof import('./areas/checkout').en
  | keyof typeof import('./areas/plans').en | keyof typeof import('./areas/invoice').en | keyof typeof import('./areas/ops-orders').en
  | keyof typeof import('./areas/voucher').en
  | keyof typeof import('./areas/ecodes').en
  | keyof typeof import('./areas/redeem').en
  | keyof typeof import('./areas/renewals').en
  | keyof typeof import('./areas/read-only').en
  | keyof typeof import('./areas/lifecycle').en
  | keyof typeof import('./areas/lapse').en
  | keyof typeof import('./areas/purges').en
  | keyof typeof import('./areas/test-clock').en
  | keyof typeof import('./areas/second-factor').en
  | keyof typeof import('./areas/input').en
  | keyof typeof import('./areas/order-outcomes').en
  | keyof typeof import('./areas/free-validity').en
  | keyof typeof import('./areas/notices').en
  | keyof typeof import('./areas/mail').en
  | keyof typeof import('./areas/company').en
  | keyof typeof import('./areas/history').en
  | keyof typeof import('./areas/seats').en
  | keyof typeof import('./areas/licences').en
  | keyof typeof import('./areas/early-renewal').en
  | keyof typeof import('./areas/layout').en
  | keyof typeof import('./areas/compare').en
  | keyof typeof import('./areas/einvoices').en
/** An area's Polish or Italian messages, typed against its English ones so a missing key fails `tsc`. */
export type AreaCatalog<E> = Record<keyof E, Message>

const catalogs: Record<Language, Catalog> = { en, pl, it }

export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', pl: 'Polski', it: 'Italiano' }

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(en, value)
}

export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

const pluralRules = new Map<Language, Intl.PluralRules>()

export function translator(lang: Language): Translate {
  const catalog = catalogs[lang]
  return (key, params) => {
    const message = catalog[key]
    let text: string
    if (typeof message === 'string') text = message
    else {
      const count = Number(params?.count ?? 0)
      let rules = pluralRules.get(lang)
      if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)))
      text = message[rules.select(count)] ?? message.other
    }
    return params ? fill(text, params) : text
  }
}

/**
 * The message with its parameters in place. A value ending in a period ("Nowak sp. z o.o.", maybe
 * with mail's zero-width space after it) takes the place of the message's own period after it, so
 * a sentence never ends "o.o..".
 */
function fill(text: string, params: Params): string {
  return text.replace(/\{(\w+)\}(\.?)/g, (m, name: string, period: string) => {
    if (!(name in params)) return m
    const value = String(params[name])
    return period && /\.\u200B?$/.test(value) ? value : value + period
  })
}

/** Picks the best supported language from an Accept-Language header. */
export function languageFromHeader(header: string | undefined): Language | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';')
      const q = rest.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean)
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q) : 1 }
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q)
  return ranked.map((x) => x.lang).find(isLanguage) ?? null
}

const LOCALES: Record<Language, string> = { en: 'en-GB', pl: 'pl-PL', it: 'it-IT' }

// Building an Intl formatter costs far more than using one (locale data is loaded and resolved each
// time), and a page formats dozens of dates: one instance per language, style and zone is kept.
const dateFormats = new Map<string, Intl.DateTimeFormat>()
const numberFormats = new Map<string, Intl.NumberFormat>()

function dateFormat(lang: Language, style: 'medium-short' | 'long', timeZone: string): Intl.DateTimeFormat {
  const key = `${lang}|${style}|${timeZone}`
  let format = dateFormats.get(key)
  if (!format) {
    const options: Intl.DateTimeFormatOptions = style === 'long' ? { dateStyle: 'long' } : { dateStyle: 'medium', timeStyle: 'short' }
    format = new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone })
    dateFormats.set(key, format)
  }
  return format
}

function numberFormat(locale: string, currency?: string): Intl.NumberFormat {
  const key = `${locale}|${currency ?? ''}`
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(locale, currency ? { style: 'currency', currency } : {})
    numberFormats.set(key, format)
  }
  return format
}

// Formatting itself is ICU work too (a few µs a date), and a list repeats the same instants (codes
// generated together share their dates): each formatter keeps its last texts by instant, a bounded memo.
const formatted = new WeakMap<Intl.DateTimeFormat, Map<number, string>>()
const MEMO_SIZE = 1000

function formatWith(format: Intl.DateTimeFormat, date: Date): string {
  let memo = formatted.get(format)
  if (!memo) formatted.set(format, (memo = new Map()))
  const ms = date.getTime()
  let text = memo.get(ms)
  if (text === undefined) {
    if (memo.size >= MEMO_SIZE) memo.clear()
    memo.set(ms, (text = format.format(date)))
  }
  return text
}

export function formatDateTime(lang: Language, date: Date, timeZone = 'UTC'): string {
  return formatWith(dateFormat(lang, 'medium-short', timeZone), date)
}

export function formatDate(lang: Language, date: Date, timeZone = 'UTC'): string {
  return formatWith(dateFormat(lang, 'long', timeZone), date)
}

export function formatNumber(lang: Language, value: number): string {
  return numberFormat(LOCALES[lang]).format(value)
}

/** Minor-unit digits per currency (2 for PLN and EUR), asked of Intl once. */
const minorDigits = new Map<string, number>()

/** Money is integer minor units plus a currency (CONVENTIONS §2). */
export function formatMoney(lang: Language, minor: number, currency: string): string {
  let digits = minorDigits.get(currency)
  if (digits === undefined) minorDigits.set(currency, (digits = numberFormat('en', currency).resolvedOptions().maximumFractionDigits ?? 2))
  return numberFormat(LOCALES[lang], currency).format(minor / 10 ** digits)
}
