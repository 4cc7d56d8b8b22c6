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

/**
 * The one rounding function for money (CONVENTIONS §2): the integer nearest to
 * numerator / denominator, a half going away from zero — 2.5 → 3, −2.5 → −3, so a credit line
 * mirrors the charge it reverses. Exact for any safe integers: the work is done in BigInt, never
 * in floats. Non-integer inputs, a zero denominator or a result beyond a safe integer are bugs
 * and throw.
 */
export function roundHalfUp(numerator: bigint | number, denominator: bigint | number): number {
  let n = toBigInt(numerator)
  let d = toBigInt(denominator)
  if (d === 0n) throw new RangeError('roundHalfUp: zero denominator')
  if (d < 0n) [n, d] = [-n, -d]
  const magnitude = n < 0n ? -n : n
  // floor((2|n| + d) / 2d) is |n|/d rounded with halves upwards; the sign is put back after.
  const rounded = (2n * magnitude + d) / (2n * d)
  const result = Number(n < 0n ? -rounded : rounded)
  if (!Number.isSafeInteger(result)) throw new RangeError('roundHalfUp: result is not a safe integer')
  return result
}

/** a × b / c rounded half-up, with the product taken exactly (proration, VAT). */
export function mulDivRoundHalfUp(a: bigint | number, b: bigint | number, c: bigint | number): number {
  return roundHalfUp(toBigInt(a) * toBigInt(b), c)
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value
  if (!Number.isSafeInteger(value)) throw new RangeError(`money: ${value} is not a safe integer`)
  return BigInt(value)
}
