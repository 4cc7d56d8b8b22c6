// The Italian codice fiscale of a private person (DM 23/12/1976, art. 6-7): what an Italian seller's
// FatturaPA must carry for an Italian consumer (docs/einvoices.md). Rules: docs/rules.md, "Checkout".

/**
 * Surname (3 letters), name (3), year (2), month letter, day (2; +40 for women), place code (letter +
 * 3) and the check letter. Where two people would get the same code, the Agenzia replaces digits from
 * the right with letters ("omocodia": 0-9 → L M N P Q R S T U V), so those positions take either.
 */
const PATTERN = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/

const OMOCODIA = 'LMNPQRSTUV'

/** Values of a character in an odd position (1st, 3rd, … 15th), for the digits 0-9 and the letters A-Z alike. */
const ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]

/** A character's index in the tables: digits 0-9 as 0-9, letters A-Z as 0-25 (digit n and the n-th letter weigh the same). */
const index = (ch: string) => (ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 65)

/**
 * The check letter of the first 15 characters: odd positions weigh by the official odd table, even
 * positions by their index; the sum modulo 26 is the letter (0 = A).
 */
export function checkCharacter(first15: string): string {
  let sum = 0
  for (let i = 0; i < 15; i++) {
    const v = index(first15[i]!)
    sum += i % 2 === 0 ? ODD[v]! : v
  }
  return String.fromCharCode(65 + (sum % 26))
}

/** The day of birth as written (women +40), omocodia letters read back as digits. */
function dayOfBirth(code: string): number {
  const digit = (ch: string) => (ch >= '0' && ch <= '9' ? Number(ch) : OMOCODIA.indexOf(ch))
  return digit(code[9]!) * 10 + digit(code[10]!)
}

export type CodiceFiscaleResult = { ok: true; value: string } | { ok: false }

/**
 * A person's codice fiscale, upper-cased with spaces removed, or not: 16 characters of the official
 * pattern (omocodia letters allowed), a day of birth of 1-31 (men) or 41-71 (women), and the right
 * check letter. The 11-digit numeric codice fiscale belongs to companies and other non-natural
 * persons (for a business it is its partita IVA), so a private person's is refused.
 */
export function normalizeCodiceFiscale(input: string): CodiceFiscaleResult {
  const code = input.replace(/\s+/g, '').toUpperCase()
  if (!PATTERN.test(code)) return { ok: false }
  const day = dayOfBirth(code)
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return { ok: false }
  return checkCharacter(code) === code[15] ? { ok: true, value: code } : { ok: false }
}

/**
 * Whether checkout asks for a codice fiscale: an Italian seller's e-invoice to an Italian private
 * person names the buyer by it. Businesses are named by their partita IVA, persons elsewhere by nothing.
 */
export const needsCodiceFiscale = (sellerCountry: string, buyer: { country: string; legalForm: string }) =>
  sellerCountry.toUpperCase() === 'IT' && buyer.country === 'IT' && buyer.legalForm === 'person'
