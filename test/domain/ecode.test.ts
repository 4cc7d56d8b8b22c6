import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CROCKFORD } from '../../src/domain/licence-number'
import { DEFAULT_ECODE_VALIDITY_MONTHS, ecodeExpiresAt, formatECode, generateECode, isExpired, normalizeECode } from '../../src/domain/ecode'
import { zonedToUtc } from '../../src/domain/time'

const CANONICAL = /^[0-9A-HJKMNP-TV-Z]{16}$/
const WARSAW = 'Europe/Warsaw'

/** Codes as the generator makes them, from any 80 bits. */
const codes = fc.uint8Array({ minLength: 10, maxLength: 10 }).map((bytes) => generateECode(() => bytes))

/** The 80 bits a code carries, read back symbol by symbol. */
function bitsOf(code: string): bigint {
  return [...code].reduce((n, ch) => (n << 5n) | BigInt(CROCKFORD.indexOf(ch)), 0n)
}

function bigintOf(bytes: Uint8Array): bigint {
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n)
}

/** Pearson's χ² of observed counts against a uniform expectation. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0)
  const expected = total / counts.length
  return counts.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0)
}

/** χ² with 31 degrees of freedom exceeds this with probability 0.0001 (scipy: chi2.isf(1e-4, 31) = 69.106). */
const CHI2_31_P0001 = 69.106

describe('e-codes', () => {
  it('are 16 symbols of Crockford base32, never I, L, O or U', () => {
    for (let i = 0; i < 1000; i++) expect(generateECode()).toMatch(CANONICAL)
    fc.assert(fc.property(codes, (c) => CANONICAL.test(c) && !/[ILOU]/.test(c)))
  })

  it('carry all 80 random bits: the code is the 10 bytes read 5 bits at a time, nothing dropped or reduced modulo', () => {
    expect(generateECode(() => new Uint8Array(10))).toBe('0000000000000000')
    expect(generateECode(() => new Uint8Array(10).fill(255))).toBe('ZZZZZZZZZZZZZZZZ')
    fc.assert(fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), (bytes) => bitsOf(generateECode(() => bytes)) === bigintOf(bytes)))
  })

  it('asks for exactly 10 random bytes', () => {
    const asked: number[] = []
    generateECode((b) => (asked.push(b.length), b))
    expect(asked).toEqual([10])
  })

  it('a thousand in a row never repeat', () => {
    expect(new Set(Array.from({ length: 1000 }, () => generateECode())).size).toBe(1000)
  })

  it('are shown in four groups of four: K7QF 3XMA 9B4K 2PZD', () => {
    expect(formatECode('K7QF3XMA9B4K2PZD')).toBe('K7QF 3XMA 9B4K 2PZD')
  })

  it('normalize(format(c)) = c, and normalize(c) = c', () => {
    fc.assert(fc.property(codes, (c) => normalizeECode(formatECode(c)) === c && normalizeECode(c) === c))
  })

  it('every way of typing a code maps back to it: any case, spaces and dashes anywhere, O for 0, I or L for 1', () => {
    const separator = fc.constantFrom('', '', '', ' ', '-', '  ', ' - ', '\t', '\u00a0', '–', '—', '_', '.')
    const typed = codes.chain((c) =>
      fc
        .tuple(
          fc.tuple(...[...c].map((ch) => fc.tuple(lookAlikes(ch), separator))),
          separator,
        )
        .map(([symbols, before]) => ({ code: c, input: before + symbols.map(([s, sep]) => s + sep).join('') })),
    )
    fc.assert(fc.property(typed, ({ code, input }) => normalizeECode(input) === code))
    expect(normalizeECode('  k7qf-3xma-9b4k-2pzd\n')).toBe('K7QF3XMA9B4K2PZD')
    expect(normalizeECode('OOOO IIII LLLL oilO')).toBe('0000111111110110')
  })

  it('refuses 15 or 17 symbols, U, punctuation and letters outside ASCII', () => {
    for (const input of [
      'K7QF 3XMA 9B4K 2PZ',
      'K7QF 3XMA 9B4K 2PZDD',
      'K7QF 3XMA 9B4K 2PZU',
      'u7qf3xma9b4k2pzd',
      'K7QF!3XMA9B4K2PZD',
      'K7QF,3XMA,9B4K,2PZD',
      'K7QF+3XMA9B4K2PZ',
      'K7QF3XMA9B4K2PZß', // "ß".toUpperCase() is "SS": two valid symbols that were never typed
      'K7QF3XMA9B4K2PZĄ',
      'Ｋ7QF3XMA9B4K2PZD',
      '',
      '                ',
    ]) {
      expect(normalizeECode(input), input).toBeNull()
    }
    fc.assert(
      fc.property(codes, fc.nat(15), fc.constantFrom('U', 'u', '!', '#', '*', '?', 'é', '0x'), (c, at, bad) => normalizeECode(c.slice(0, at) + bad + c.slice(at + 1)) === null),
    )
    fc.assert(fc.property(codes, fc.integer({ min: 1, max: 15 }), (c, cut) => normalizeECode(c.slice(cut)) === null && normalizeECode(c + c.slice(0, cut)) === null))
  })

  it('are uniform: χ² of 10^6 generated symbols against 31 degrees of freedom stays below the p = 0.0001 threshold', () => {
    const counts = new Array<number>(32).fill(0)
    const index = new Map([...CROCKFORD].map((ch, i) => [ch, i]))
    for (let i = 0; i < 62_500; i++) for (const ch of generateECode()) counts[index.get(ch)!]!++
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1_000_000)
    expect(chiSquare(counts)).toBeLessThan(CHI2_31_P0001)
  })

  it('the uniformity check would catch a generator that reduced bytes modulo 31', () => {
    const counts = new Array<number>(32).fill(0)
    const bytes = new Uint8Array(50_000)
    for (let i = 0; i < 20; i++) for (const b of crypto.getRandomValues(bytes)) counts[b % 31]!++
    expect(chiSquare(counts)).toBeGreaterThan(CHI2_31_P0001)
  })
})

describe('e-code validity', () => {
  it('is 24 months by default', () => {
    expect(DEFAULT_ECODE_VALIDITY_MONTHS).toBe(24)
  })

  it('created 23 November 2026 10:00 in Warsaw, valid 24 months: expires 23 November 2028 10:00 in Warsaw', () => {
    const created = zonedToUtc(2026, 11, 23, 10, 0, WARSAW)
    expect(ecodeExpiresAt(created, 24, WARSAW)).toEqual(zonedToUtc(2028, 11, 23, 10, 0, WARSAW))
    expect(ecodeExpiresAt(created, 24, WARSAW).toISOString()).toBe('2028-11-23T09:00:00.000Z')
  })

  it('keeps the local time of day across a DST change (10:00 in winter → 10:00 in summer)', () => {
    const created = zonedToUtc(2026, 1, 15, 10, 0, WARSAW)
    expect(ecodeExpiresAt(created, 4, WARSAW).toISOString()).toBe('2026-05-15T08:00:00.000Z')
  })

  it('created 29 February 2028: + 12 months is 28 February 2029, + 48 months is 29 February 2032', () => {
    const created = zonedToUtc(2028, 2, 29, 10, 0, WARSAW)
    expect(ecodeExpiresAt(created, 12, WARSAW)).toEqual(zonedToUtc(2029, 2, 28, 10, 0, WARSAW))
    expect(ecodeExpiresAt(created, 24, WARSAW)).toEqual(zonedToUtc(2030, 2, 28, 10, 0, WARSAW))
    expect(ecodeExpiresAt(created, 48, WARSAW)).toEqual(zonedToUtc(2032, 2, 29, 10, 0, WARSAW))
  })

  it('a day the last month lacks becomes its last day: 31 August + 6 months is 28 February', () => {
    expect(ecodeExpiresAt(zonedToUtc(2026, 8, 31, 9, 15, WARSAW), 6, WARSAW)).toEqual(zonedToUtc(2027, 2, 28, 9, 15, WARSAW))
  })

  it('a local time skipped by the spring DST change moves forward by the skipped hour', () => {
    // 02:30 on 29 March 2026 does not exist in Warsaw: clocks jump from 02:00 to 03:00.
    const created = zonedToUtc(2024, 3, 29, 2, 30, WARSAW)
    expect(ecodeExpiresAt(created, 24, WARSAW).toISOString()).toBe('2026-03-29T01:30:00.000Z') // 03:30 CEST
  })

  it('always ends after it starts, on the same day of the month or the last day of a shorter month', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom(WARSAW, 'Europe/Rome', 'UTC', 'America/New_York'),
        (created, months, zone) => {
          const expires = ecodeExpiresAt(created, months, zone)
          const day = (d: Date) => Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, day: 'numeric' }).format(d))
          return expires > created && (day(expires) === day(created) || day(expires) >= 28)
        },
      ),
    )
  })

  it('refuses a validity that is not a whole number of months ≥ 1 (a bug in the caller)', () => {
    const created = new Date('2026-11-23T09:00:00Z')
    for (const months of [0, -1, 1.5, Number.NaN]) expect(() => ecodeExpiresAt(created, months, WARSAW)).toThrow(RangeError)
  })

  it('exactly at its expiry instant a code has expired; a millisecond before it has not', () => {
    const expiresAt = new Date('2028-11-23T09:00:00.000Z')
    expect(isExpired(expiresAt, new Date('2028-11-23T08:59:59.999Z'))).toBe(false)
    expect(isExpired(expiresAt, expiresAt)).toBe(true)
    expect(isExpired(expiresAt, new Date('2028-11-23T09:00:00.001Z'))).toBe(true)
  })
})

/** The ways a person might type one symbol: either case, and the look-alikes of 0 and 1. */
function lookAlikes(symbol: string): fc.Arbitrary<string> {
  if (symbol === '0') return fc.constantFrom('0', 'O', 'o')
  if (symbol === '1') return fc.constantFrom('1', 'I', 'i', 'L', 'l')
  return fc.constantFrom(symbol, symbol.toLowerCase())
}
