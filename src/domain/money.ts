// Money typed by people (SPEC §16, CONVENTIONS §2): a decimal amount such as `49.00` or `49,00`
// becomes integer minor units exactly, by reading the digits, never through a float.
export type MoneyProblem = 'invalid' | 'negative' | 'decimals'

/** Minor units per major unit of the currencies the catalog sells in (PLN, EUR): 2 decimals. */
const DECIMALS = 2
/** Beyond this an amount is surely a typo; it also keeps every value a safe integer. */
const MAX_MAJOR_DIGITS = 9

export function parseMoney(text: string): { ok: true; minor: number } | { ok: false; error: MoneyProblem } {
  const value = text.trim().replace(/[\s\u00a0\u202f]/g, '')
  if (/^-/.test(value)) return { ok: false, error: 'negative' }
  const m = /^(\d+)(?:[.,](\d+))?$/.exec(value)
  if (!m || m[1]!.replace(/^0+(?=\d)/, '').length > MAX_MAJOR_DIGITS) return { ok: false, error: 'invalid' }
  const fraction = m[2] ?? ''
  if (fraction.length > DECIMALS) return { ok: false, error: 'decimals' }
  return { ok: true, minor: Number(m[1]) * 10 ** DECIMALS + Number(fraction.padEnd(DECIMALS, '0')) }
}

/** Minor units back into the plain form the fields take (`4900` → `49.00`), for editing. */
export function moneyInput(minor: number): string {
  const major = Math.floor(minor / 10 ** DECIMALS)
  return `${major}.${String(minor % 10 ** DECIMALS).padStart(DECIMALS, '0')}`
}
