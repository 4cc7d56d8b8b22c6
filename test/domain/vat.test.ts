import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { lineVat, REVERSE_CHARGE_NOTE, totals, vatFor, type VatConfig } from '../../src/domain/vat'

const POLISH_VENDOR: VatConfig = { vendorCountry: 'PL', defaultRatePercent: 23 }
const business = (country: string) => ({ buyerCountry: country, buyerIsBusiness: true, buyerVatValid: true })
const person = (country: string) => ({ buyerCountry: country, buyerIsBusiness: false, buyerVatValid: false })
const reverseCharge = { kind: 'reverse_charge', ratePercent: 0, note: REVERSE_CHARGE_NOTE }

describe('the VAT rate of an order (SPEC §7)', () => {
  it('Polish buyers pay 23 % and Italian private persons 22 %', () => {
    expect(vatFor(business('PL'), POLISH_VENDOR)).toEqual({ kind: 'standard', ratePercent: 23 })
    expect(vatFor(person('PL'), POLISH_VENDOR)).toEqual({ kind: 'standard', ratePercent: 23 })
    expect(vatFor(person('IT'), POLISH_VENDOR)).toEqual({ kind: 'standard', ratePercent: 22 })
  })

  it('a private person from a country without its own rate pays the vendor’s default', () => {
    expect(vatFor(person('DE'), POLISH_VENDOR)).toEqual({ kind: 'standard', ratePercent: 23 })
    expect(vatFor(person('DE'), { vendorCountry: 'PL', defaultRatePercent: 19 })).toEqual({ kind: 'standard', ratePercent: 19 })
  })

  it('an EU business with a valid VAT number in another country than the vendor’s gets reverse charge with the legal note', () => {
    expect(vatFor(business('DE'), POLISH_VENDOR)).toEqual(reverseCharge)
    expect(vatFor(business('IT'), POLISH_VENDOR)).toEqual(reverseCharge)
    expect(vatFor(business('gr'), POLISH_VENDOR)).toEqual(reverseCharge)
  })

  it('a business in the vendor’s own country pays that country’s rate, whoever the vendor is', () => {
    const italianVendor: VatConfig = { vendorCountry: 'IT', defaultRatePercent: 22 }
    expect(vatFor(business('IT'), italianVendor)).toEqual({ kind: 'standard', ratePercent: 22 })
    expect(vatFor(business('PL'), italianVendor)).toEqual(reverseCharge)
  })

  it('a business whose VAT number is not valid pays VAT like a person', () => {
    expect(vatFor({ buyerCountry: 'DE', buyerIsBusiness: true, buyerVatValid: false }, POLISH_VENDOR)).toEqual({ kind: 'standard', ratePercent: 23 })
    expect(vatFor({ buyerCountry: 'IT', buyerIsBusiness: true, buyerVatValid: false }, POLISH_VENDOR)).toEqual({ kind: 'standard', ratePercent: 22 })
  })

  it('a person is never reverse charged, even with a valid number on file', () => {
    expect(vatFor({ buyerCountry: 'DE', buyerIsBusiness: false, buyerVatValid: true }, POLISH_VENDOR)).toEqual({ kind: 'standard', ratePercent: 23 })
  })

  it('a buyer outside the EU pays the vendor’s default rate and is never reverse charged', () => {
    expect(vatFor(business('CH'), POLISH_VENDOR)).toEqual({ kind: 'standard', ratePercent: 23 })
    expect(vatFor(business('GB'), POLISH_VENDOR)).toEqual({ kind: 'standard', ratePercent: 23 })
  })

  it('a default rate that is not 0–100 % with at most two decimals is a configuration bug', () => {
    expect(() => vatFor(person('DE'), { vendorCountry: 'PL', defaultRatePercent: 23.456 })).toThrow(RangeError)
    expect(() => vatFor(person('DE'), { vendorCountry: 'PL', defaultRatePercent: 101 })).toThrow(RangeError)
    expect(() => vatFor(person('DE'), { vendorCountry: 'PL', defaultRatePercent: Number.NaN })).toThrow(RangeError)
  })
})

describe('VAT per line', () => {
  it('rounds half a grosz up: 0.50 at 23 % is 0.115 → 0.12, 0.25 at 22 % is 0.055 → 0.06', () => {
    expect(lineVat(50, 23)).toBe(12)
    expect(lineVat(150, 23)).toBe(35)
    expect(lineVat(25, 22)).toBe(6)
    expect(lineVat(49, 23)).toBe(11) // 0.1127
    expect(lineVat(29000, 23)).toBe(6670)
  })

  it('is nothing at 0 % and exact for rates with decimals (25.5 %)', () => {
    expect(lineVat(59000, 0)).toBe(0)
    expect(lineVat(1000, 25.5)).toBe(255)
    expect(lineVat(2, 25.5)).toBe(1) // 0.51
    expect(lineVat(1, 25.5)).toBe(0) // 0.255
  })

  it('of a credit line is the exact opposite of the charge', () => {
    expect(lineVat(-50, 23)).toBe(-12)
  })
})

describe('order totals', () => {
  it('add up VAT rounded per line, not VAT of the sum: two lines of 0.50 at 23 % make 0.24', () => {
    expect(totals([{ netMinor: 50, ratePercent: 23 }, { netMinor: 50, ratePercent: 23 }])).toEqual({
      netMinor: 100, byRate: [{ ratePercent: 23, netMinor: 100, vatMinor: 24 }], vatMinor: 24, grossMinor: 124,
    })
  })

  it('group VAT by rate, highest first, with a reverse-charged line at 0 %', () => {
    expect(totals([
      { netMinor: 29000, ratePercent: 0 },
      { netMinor: 29000, ratePercent: 23 },
      { netMinor: 4900, ratePercent: 8 },
      { netMinor: 6000, ratePercent: 23 },
    ])).toEqual({
      netMinor: 68900,
      byRate: [
        { ratePercent: 23, netMinor: 35000, vatMinor: 8050 },
        { ratePercent: 8, netMinor: 4900, vatMinor: 392 },
        { ratePercent: 0, netMinor: 29000, vatMinor: 0 },
      ],
      vatMinor: 8442,
      grossMinor: 77342,
    })
  })

  it('of no lines are zero', () => {
    expect(totals([])).toEqual({ netMinor: 0, byRate: [], vatMinor: 0, grossMinor: 0 })
  })

  it('are exact sums of what the lines show, each line within half a cent of its exact VAT', () => {
    const line = fc.record({ netMinor: fc.integer({ min: 0, max: 100_000_000 }), ratePercent: fc.constantFrom(0, 5, 8, 22, 23, 25.5) })
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const t = totals(lines)
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
        const linesExact = lines.every((l) => {
          // |vat × 10000 − net × rate in hundredths| ≤ 5000, in integers
          const twiceError = 2n * (BigInt(lineVat(l.netMinor, l.ratePercent)) * 10_000n - BigInt(l.netMinor) * BigInt(Math.round(l.ratePercent * 100)))
          return (twiceError < 0n ? -twiceError : twiceError) <= 10_000n
        })
        return (
          linesExact &&
          t.netMinor === sum(lines.map((l) => l.netMinor)) &&
          t.vatMinor === sum(lines.map((l) => lineVat(l.netMinor, l.ratePercent))) &&
          t.grossMinor === t.netMinor + t.vatMinor &&
          sum(t.byRate.map((g) => g.vatMinor)) === t.vatMinor &&
          sum(t.byRate.map((g) => g.netMinor)) === t.netMinor &&
          [t.netMinor, t.vatMinor, t.grossMinor].every(Number.isSafeInteger)
        )
      }),
    )
  })
})
