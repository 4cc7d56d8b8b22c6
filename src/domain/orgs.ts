// Rules about organizations' data (SPEC §2): countries and their time zones, legal forms, which
// identifiers each needs, e-invoicing identifiers, and URL slugs.
export const COUNTRY_TIME_ZONES = {
  AT: 'Europe/Vienna', BE: 'Europe/Brussels', BG: 'Europe/Sofia', HR: 'Europe/Zagreb', CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague', DK: 'Europe/Copenhagen', EE: 'Europe/Tallinn', FI: 'Europe/Helsinki', FR: 'Europe/Paris',
  DE: 'Europe/Berlin', GR: 'Europe/Athens', HU: 'Europe/Budapest', IE: 'Europe/Dublin', IT: 'Europe/Rome',
  LV: 'Europe/Riga', LT: 'Europe/Vilnius', LU: 'Europe/Luxembourg', MT: 'Europe/Malta', NL: 'Europe/Amsterdam',
  PL: 'Europe/Warsaw', PT: 'Europe/Lisbon', RO: 'Europe/Bucharest', SK: 'Europe/Bratislava', SI: 'Europe/Ljubljana',
  ES: 'Europe/Madrid', SE: 'Europe/Stockholm',
} as const satisfies Record<string, string>

export type Country = keyof typeof COUNTRY_TIME_ZONES
export const COUNTRIES = Object.keys(COUNTRY_TIME_ZONES) as Country[]

export const LEGAL_FORMS = ['company', 'sole_trader', 'person'] as const
export type LegalForm = (typeof LEGAL_FORMS)[number]

/** Companies and sole traders are businesses with a VAT number; private persons have none. */
export const needsTaxId = (form: LegalForm) => form !== 'person'

/** Italian businesses must give an SDI recipient code or a PEC address for e-invoices. */
export const needsEinvoiceId = (country: string, form: LegalForm) => country === 'IT' && form !== 'person'

export type EinvoiceResult = { ok: true; value: string } | { ok: false }

/** An SDI recipient code (7 letters or digits, upper-cased) or a PEC e-mail address (lower-cased). */
export function normalizeEinvoiceId(input: string): EinvoiceResult {
  const value = input.trim()
  if (/^[A-Za-z0-9]{7}$/.test(value)) return { ok: true, value: value.toUpperCase() }
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254) return { ok: true, value: value.toLowerCase() }
  return { ok: false }
}

/** A certified-mail (PEC) address: ordinary mail to it may be refused (SPEC §7 warns about it). */
export function looksLikePec(email: string): boolean {
  const domain = email.toLowerCase().split('@')[1] ?? ''
  return /(^|\.)(pec|legalmail|postacert|cert|postecert)\./.test(domain) || domain.startsWith('pec.')
}

/** A readable URL slug from a name: "Biuro Rachunkowe Łódź Sp. z o.o." → "biuro-rachunkowe-lodz-sp-z-o-o". */
export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '')
  return base || 'org'
}
