// What a history row says, read for a sentence (src/views/history/sentences.ts): its details by name,
// dates in the reader's language and the org's zone, the person it is about. Details were written by
// many versions of the app and are gone from an erased org's rows, so every reader may find nothing
// (null); a sentence missing a value falls back to the kind's phrase.
import { formatDate, formatMoney, type Language, type MessageKey, type Params, type Translate } from '../../i18n'

export type HistoryRow = {
  kind: string
  details: Record<string, unknown> | null
  subjectType: string | null
  subjectId: string | null
  /** The subject's name as it is now (a person, an API key, an order's number), when it still exists. */
  subjectName?: string | null
  actorType: string
  actorLabel: string
}

export type Reader = { t: Translate; lang: Language; timeZone: string }

type Value = string | number | null | undefined

/** One list formatter per language: building one loads locale data, and a page lists dozens of names. */
const listFormats = new Map<Language, Intl.ListFormat>()

export class Facts {
  readonly t: Translate
  readonly lang: Language
  private readonly d: Record<string, unknown>

  constructor(
    readonly reader: Reader,
    readonly row: HistoryRow,
  ) {
    this.t = reader.t
    this.lang = reader.lang
    this.d = row.details ?? {}
  }

  /** The message filled in, or null when a value it needs is missing. */
  say(key: MessageKey, params: Record<string, Value> = {}): string | null {
    const filled: Params = {}
    for (const [name, value] of Object.entries(params)) {
      if (value === null || value === undefined || value === '') return null
      filled[name] = value
    }
    return this.t(key, filled)
  }

  /** A detail as text: a string or a number, else null. */
  text(key: string, from: Record<string, unknown> = this.d): string | null {
    const v = from[key]
    return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null
  }

  number(key: string): number | null {
    const v = this.d[key]
    return typeof v === 'number' && Number.isFinite(v) ? v : null
  }

  /** One end of a `{ from, to }` change ("plan": { from: "Gold", to: "Green" }). */
  end(key: string, which: 'from' | 'to'): string | null {
    const v = this.d[key]
    return v && typeof v === 'object' && !Array.isArray(v) ? this.text(which, v as Record<string, unknown>) : null
  }

  list(key: string): string[] | null {
    const v = this.d[key]
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null
  }

  /** Names joined as the language lists them: "A, B and C". */
  and(names: string[]): string {
    let format = listFormats.get(this.lang)
    if (!format) listFormats.set(this.lang, (format = new Intl.ListFormat(this.lang, { type: 'conjunction' })))
    return format.format(names)
  }

  /** An ISO time in the details, as a date in the reader's language and the org's zone. */
  date(key: string): string | null {
    const v = this.text(key)
    const at = v ? new Date(v) : null
    return at && !Number.isNaN(at.getTime()) ? formatDate(this.lang, at, this.reader.timeZone) : null
  }

  /**
   * The person the row is about: the account's name as it is now, else the name or address the
   * details kept ("Name <address>" keeps the name), else a neutral word (an erased org, a closed account).
   */
  person(): string {
    const label = this.text('user')
    return this.row.subjectName || this.text('name') || (label ? label.replace(/\s*<[^>]*>$/, '') : null) || this.text('email') || this.t('history.someone')
  }

  /** A product with its variant: "Sekretariat (12 months)". */
  item(): string | null {
    const product = this.text('product')
    const variant = this.text('variant')
    return product && variant ? `${product} (${variant})` : product
  }

  months(count: number | null): string | null {
    return count === null ? null : this.t('plans.months', { count })
  }

  /** "356.70" and "PLN" as the reader writes money. */
  money(total: string | null, currency: string | null): string | null {
    const m = total ? /^(-?)(\d+)\.(\d{2})$/.exec(total) : null
    if (!m || !currency) return null
    return formatMoney(this.lang, (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3])), currency)
  }
}
