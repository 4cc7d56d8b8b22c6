// Tax identifiers of organizations (SPEC §2): Polish NIP and Italian partita IVA with their check
// digits, other EU VAT numbers by their country's format and checksum (jsvat's rules).
// Normalized form: upper case, no spaces, dashes or dots, with the country's VAT prefix
// ("PL5260250995", "IT00743110157", "EL094259216") — the form that is unique among live orgs.
import {
  austria, belgium, bulgaria, checkVAT, croatia, cyprus, czechRepublic, denmark, estonia, finland, france, germany,
  greece, hungary, ireland, italy, latvia, lithuania, luxembourg, malta, netherlands, poland, portugal, romania,
  slovakiaRepublic, slovenia, spain, sweden, type Country,
} from 'jsvat'

/** EU member states by ISO 3166 code, with jsvat's rules. Greece's VAT prefix is EL, not GR. */
const EU: Record<string, { rules: Country; prefix: string }> = {
  AT: { rules: austria, prefix: 'AT' }, BE: { rules: belgium, prefix: 'BE' }, BG: { rules: bulgaria, prefix: 'BG' },
  HR: { rules: croatia, prefix: 'HR' }, CY: { rules: cyprus, prefix: 'CY' }, CZ: { rules: czechRepublic, prefix: 'CZ' },
  DK: { rules: denmark, prefix: 'DK' }, EE: { rules: estonia, prefix: 'EE' }, FI: { rules: finland, prefix: 'FI' },
  FR: { rules: france, prefix: 'FR' }, DE: { rules: germany, prefix: 'DE' }, GR: { rules: greece, prefix: 'EL' },
  HU: { rules: hungary, prefix: 'HU' }, IE: { rules: ireland, prefix: 'IE' }, IT: { rules: italy, prefix: 'IT' },
  LV: { rules: latvia, prefix: 'LV' }, LT: { rules: lithuania, prefix: 'LT' }, LU: { rules: luxembourg, prefix: 'LU' },
  MT: { rules: malta, prefix: 'MT' }, NL: { rules: netherlands, prefix: 'NL' }, PL: { rules: poland, prefix: 'PL' },
  PT: { rules: portugal, prefix: 'PT' }, RO: { rules: romania, prefix: 'RO' }, SK: { rules: slovakiaRepublic, prefix: 'SK' },
  SI: { rules: slovenia, prefix: 'SI' }, ES: { rules: spain, prefix: 'ES' }, SE: { rules: sweden, prefix: 'SE' },
}

export const EU_COUNTRIES = Object.keys(EU)

export type TaxIdResult = { ok: true; value: string } | { ok: false; error: 'unsupported_country' | 'invalid' }

export function normalizeTaxId(country: string, input: string): TaxIdResult {
  const entry = EU[country.toUpperCase()]
  if (!entry) return { ok: false, error: 'unsupported_country' }
  let compact = input.toUpperCase().replace(/[\s.\-_/]/g, '')
  // A number typed with the ISO code instead of the VAT prefix (GR… for Greece) is accepted too.
  if (compact.startsWith(country.toUpperCase()) && country.toUpperCase() !== entry.prefix) compact = compact.slice(2)
  const value = compact.startsWith(entry.prefix) ? compact : entry.prefix + compact
  if (!/^[A-Z]{2}[0-9A-Z+*]{2,13}$/.test(value)) return { ok: false, error: 'invalid' }
  return checkVAT(value, [entry.rules]).isValid ? { ok: true, value } : { ok: false, error: 'invalid' }
}

/** The number as people write it at home: a Polish NIP as 526-025-09-95, otherwise without the prefix. */
export function displayTaxId(value: string): string {
  const digits = value.slice(2)
  if (value.startsWith('PL') && /^\d{10}$/.test(digits)) return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`
  return digits
}

/**
 * The EU countries other than `chosen` for which the number is a valid tax id (ISO codes), for a
 * number refused for the chosen country: an Italian partita IVA typed with Poland still selected is
 * then named as Italian. A number with a VAT prefix ("IT00743110157") names its own country; bare
 * digits may be valid in more than one.
 */
export function otherCountriesOfTaxId(input: string, chosen: string): string[] {
  const others = EU_COUNTRIES.filter((country) => country !== chosen.toUpperCase() && normalizeTaxId(country, input).ok)
  // "DE136695976" also passes as French (whose two-character key may be letters): its prefix decides.
  const prefix = input.trim().slice(0, 2).toUpperCase()
  const named = others.find((country) => country === prefix || EU[country]!.prefix === prefix)
  return named ? [named] : others
}
