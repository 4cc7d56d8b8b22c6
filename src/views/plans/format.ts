// How the plan page writes amounts inside a formula (plain decimals in the reader's language, the
// currency said once) and billing periods ("1 year", "2 lata", "1 mese").
import type { Language, Translate } from '../../i18n'

const LOCALES: Record<Language, string> = { en: 'en-GB', pl: 'pl-PL', it: 'it-IT' }
const formats = new Map<Language, Intl.NumberFormat>()

/** Minor units as a decimal with two places: 59000 → "590.00" (en), "590,00" (pl, it). */
export function amount(lang: Language, minor: number): string {
  let format = formats.get(lang)
  if (!format) formats.set(lang, (format = new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 })))
  return format.format(minor / 100)
}

export function periodLabel(t: Translate, months: number): string {
  return months % 12 === 0 ? t('plans.years', { count: months / 12 }) : t('plans.months', { count: months })
}
