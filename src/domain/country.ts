// The country a new company's form starts with (issue 16): where the reader most likely is, from
// their language and their browser's Accept-Language, rather than always Poland.
import type { Language } from '../i18n'
import { COUNTRIES, type Country } from './orgs'

const EU = new Set<string>(COUNTRIES)

/** Languages spoken as the main language of one EU country only (German, French, Dutch… are several countries'). */
const ONE_COUNTRY_LANGUAGES: Record<string, Country> = {
  pl: 'PL', it: 'IT', cs: 'CZ', sk: 'SK', sl: 'SI', hr: 'HR', hu: 'HU', ro: 'RO', bg: 'BG', da: 'DK', fi: 'FI',
  et: 'EE', lv: 'LV', lt: 'LT', mt: 'MT', es: 'ES', pt: 'PT', el: 'GR', sv: 'SE', ga: 'IE',
}

/** Where a company is when nothing says otherwise: the vendor's home market. */
export const FALLBACK_COUNTRY: Country = 'PL'

/** Accept-Language's tags, most preferred first: "it-IT,en;q=0.5" → [{ lang: 'it', region: 'IT' }, { lang: 'en', region: null }]. */
function ranked(header: string | undefined): { lang: string; region: string | null }[] {
  if (!header) return []
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = Number(params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean) ?? 1)
      const [lang = '', ...rest] = tag.toLowerCase().split('-')
      const region = rest.find((s) => /^[a-z]{2}$/.test(s))?.toUpperCase() ?? null
      return { lang, region: region === 'EL' ? 'GR' : region, q: Number.isFinite(q) ? q : 0, i }
    })
    .filter((x) => x.q > 0 && x.lang)
    .sort((a, b) => b.q - a.q || a.i - b.i)
}

/**
 * 1. A browser tag in the reader's language with an EU region (en-IE → Ireland, it-IT → Italy).
 * 2. The country of the reader's language, when it has one (Polish → Poland, Italian → Italy).
 * 3. For English: the first EU region the browser names, or a language of a single EU country (de-AT → Austria, cs → Czechia).
 * 4. Poland.
 */
export function defaultCountry(lang: Language, acceptLanguage: string | undefined): Country {
  const tags = ranked(acceptLanguage)
  const inLang = tags.find((t) => t.lang === lang && t.region && EU.has(t.region))
  if (inLang) return inLang.region as Country
  const own = ONE_COUNTRY_LANGUAGES[lang]
  if (own) return own
  for (const t of tags) {
    if (t.region && EU.has(t.region)) return t.region as Country
    const single = ONE_COUNTRY_LANGUAGES[t.lang]
    if (single) return single
  }
  return FALLBACK_COUNTRY
}
