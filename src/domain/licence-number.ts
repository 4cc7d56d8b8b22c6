// Licence numbers (SPEC §6): "KT-7QF3-9XMA-2B4K" — 12 symbols of Crockford's base32 (60 random
// bits), readable aloud and typed forgivingly: any case, with or without dashes and spaces, and the
// look-alikes O→0, I/L→1 accepted.
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const SYMBOLS = 12
const PREFIX = 'KT'

/** A new licence number. 32 divides 256, so taking 5 bits of each random byte has no bias. */
export function generateLicenceNumber(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(SYMBOLS))
  const symbols = Array.from(bytes, (b) => CROCKFORD[b & 31]).join('')
  return formatLicenceNumber(symbols)
}

export function formatLicenceNumber(symbols: string): string {
  return `${PREFIX}-${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8, 12)}`
}

/** The canonical form of what someone typed, or null if it can't be a licence number. */
export function normalizeLicenceNumber(input: string): string | null {
  let s = input.toUpperCase().replace(/[\s\-_.]/g, '')
  if (s.startsWith(PREFIX) && s.length === SYMBOLS + PREFIX.length) s = s.slice(PREFIX.length)
  s = s.replace(/O/g, '0').replace(/[IL]/g, '1')
  if (s.length !== SYMBOLS || [...s].some((ch) => !CROCKFORD.includes(ch))) return null
  return formatLicenceNumber(s)
}
