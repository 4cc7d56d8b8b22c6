// Country names in the reader's language (SPEC §7: one invoice speaks one language). The buyer's
// country is stored as a code; the seller's address is configured as free lines (VENDOR_ADDRESS),
// whose last line usually names the country in the vendor's language ("Polska"). An invoice in
// English must not say "Polska" for the seller and "Poland" for the buyer.

/** Languages whose name of a country an address line may use: the panel's, and the neighbours' usual ones. */
const NAMING_LANGUAGES = ['en', 'pl', 'it', 'de', 'fr', 'es', 'pt', 'nl', 'cs', 'sk', 'hu', 'ro', 'sv', 'da', 'fi', 'el', 'bg', 'hr', 'sl', 'lt', 'lv', 'et']

/** The country's name in `lang` ("Poland", "Polska", "Polonia"); the code itself if the runtime has no name. */
export function countryName(code: string, lang: string): string {
  return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code
}

const fold = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('en')

/** Whether a line is nothing but the country, by its code or its name in one of the usual languages. */
export function namesCountry(line: string, code: string): boolean {
  const l = fold(line)
  if (l === fold(code)) return true
  return NAMING_LANGUAGES.some((lang) => fold(countryName(code, lang)) === l)
}

/**
 * Address lines with the country in `lang`: a line that names the country (in any of the usual
 * languages or by its code) becomes its name in `lang`; without one, the name is added last.
 */
export function withCountryIn(lines: readonly string[], code: string, lang: string): string[] {
  const name = countryName(code, lang)
  const at = lines.findIndex((l) => namesCountry(l, code))
  if (at === -1) return [...lines, name]
  return lines.map((l, i) => (i === at ? name : l))
}
