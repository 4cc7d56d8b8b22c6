// The NBP rate behind the VAT in złoty: the working day before the invoice's date (weekends and
// Polish holidays skipped), the arithmetic (per rate, half a grosz up), and the client against the
// fake NBP — a day without a table looks at the one before, a down or nonsensical NBP gives no rate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NbpClient } from '../../src/einvoice/nbp/client'
import { startFakeNbp, type FakeNbp } from '../../src/einvoice/nbp/fake-server'
import { loadConfig } from '../../src/config'
import { einvoiceInput } from '../../src/einvoice/document'
import type { StoredInvoice } from '../../src/services/invoice-data'
import { needsPlnVat, plnConversion, previousWorkingDay, rateMillionths, toPln, type NbpRate } from '../../src/einvoice/nbp/rates'

const eur = (day: string, rate: string): NbpRate => ({ currency: 'EUR', day, rate, tableNo: '001/A/NBP/2026', effectiveDate: day })

describe('which rate', () => {
  it('is the last working day in Poland before the invoice’s date: Monday takes Friday’s, holidays (Easter’s too) are skipped', () => {
    expect(previousWorkingDay('2026-12-08')).toBe('2026-12-07') // Tuesday → Monday
    expect(previousWorkingDay('2026-12-07')).toBe('2026-12-04') // Monday → Friday
    expect(previousWorkingDay('2026-12-06')).toBe('2026-12-04') // Sunday → Friday
    expect(previousWorkingDay('2026-11-12')).toBe('2026-11-10') // after Independence Day (Wednesday 11 November)
    expect(previousWorkingDay('2026-04-07')).toBe('2026-04-03') // after Easter Monday (6 April 2026)
    expect(previousWorkingDay('2026-12-28')).toBe('2026-12-23') // Christmas Eve, Christmas and a Sunday
    expect(previousWorkingDay('2027-01-04')).toBe('2026-12-31')
  })

  it('is needed by a Polish seller’s invoice in another currency with Polish VAT only', () => {
    expect(needsPlnVat({ sellerCountry: 'PL', currency: 'EUR', polishVat: true })).toBe(true)
    expect(needsPlnVat({ sellerCountry: 'PL', currency: 'PLN', polishVat: true })).toBe(false)
    expect(needsPlnVat({ sellerCountry: 'PL', currency: 'EUR', polishVat: false })).toBe(false)
    expect(needsPlnVat({ sellerCountry: 'IT', currency: 'EUR', polishVat: true })).toBe(false)
  })

  it('is picked from the known rates by that day, or reported missing with the day', () => {
    const totals = { netMinor: 10000, vatMinor: 2300, grossMinor: 12300, byRate: [{ ratePercent: 23, netMinor: 10000, vatMinor: 2300 }] }
    const known = [eur('2026-12-07', '4.3000'), eur('2026-12-04', '4.2000')]
    expect(plnConversion(true, 'EUR', '2026-12-07', totals, known)).toEqual({ status: 'converted', rate: known[1], byRate: [{ ratePercent: 23, vatMinor: 2300, plnMinor: 9660 }] })
    expect(plnConversion(true, 'EUR', '2026-12-09', totals, known)).toEqual({ status: 'missing', currency: 'EUR', day: '2026-12-08' })
    expect(plnConversion(false, 'EUR', '2026-12-07', totals, known)).toBeNull()
  })
})

describe('which invoices state VAT in złoty (einvoiceInput)', () => {
  const config = loadConfig({ KONTOR_ENV: 'test' })
  const stored = (buyer: { country: string; legalForm: 'company' | 'person'; taxId: string | null }, currency: string, reverseCharge = false, seller = 'PL'): StoredInvoice =>
    ({
      invoice: { number: 'FV/2026/000001', issuedAt: new Date('2026-12-07T10:00:00Z'), seller: { name: 'Kontor', addressLines: ['ul. A 1', '00-001 Warszawa'], taxId: 'PL5260250274', bankAccount: 'PL61', country: seller } },
      order: {
        language: 'en',
        paidAt: new Date('2026-12-07T10:00:00Z'),
        billing: { name: 'Buyer', addressLine: 'Street 1', postalCode: '00-001', city: 'City', billingEmail: 'b@example.com', einvoiceId: null, ...buyer },
        currency,
        vat: reverseCharge ? { kind: 'reverse_charge', ratePercent: 0 } : { kind: 'standard', ratePercent: 23 },
        paidVia: 'operator',
        paymentMethod: 'transfer',
      },
      lines: [{ label: { en: 'Plan', pl: 'Plan', it: 'Piano' }, quantity: 1, unitNetMinor: 10000, netMinor: 10000, vatRateBp: reverseCharge ? 0 : 2300, vatMinor: reverseCharge ? 0 : 2300 }],
      paidWith: null,
      submission: null,
      rates: [eur('2026-12-04', '4.2175')],
    }) as never
  const polishCompany = { country: 'PL', legalForm: 'company' as const, taxId: 'PL8919237578' }

  it('a Polish seller’s invoice in euro with Polish VAT (a Polish company, or a buyer charged the Polish rate)', () => {
    expect(einvoiceInput(stored(polishCompany, 'EUR'), config).pln).toEqual({ status: 'converted', rate: eur('2026-12-04', '4.2175'), byRate: [{ ratePercent: 23, vatMinor: 2300, plnMinor: 9700 }] })
    expect(einvoiceInput(stored({ country: 'US', legalForm: 'person', taxId: null }, 'EUR'), config).pln?.status).toBe('converted')
    // Without the rate stored, the day it waits for.
    expect(einvoiceInput({ ...stored(polishCompany, 'EUR'), rates: [] }, config).pln).toEqual({ status: 'missing', currency: 'EUR', day: '2026-12-04' })
  })

  it('not one in złoty, under reverse charge, in the one-stop shop (another state’s VAT), nor an Italian seller’s', () => {
    expect(einvoiceInput(stored(polishCompany, 'PLN'), config).pln).toBeNull()
    expect(einvoiceInput(stored({ country: 'DE', legalForm: 'company', taxId: 'DE136695976' }, 'EUR', true), config).pln).toBeNull()
    expect(einvoiceInput(stored({ country: 'IT', legalForm: 'person', taxId: null }, 'EUR'), config).pln).toBeNull()
    expect(einvoiceInput(stored(polishCompany, 'EUR', false, 'IT'), config).pln).toBeNull()
  })
})

describe('VAT in złoty', () => {
  it('is the VAT of each rate × the rate, rounded to the grosz: below half a grosz down, from half up', () => {
    expect(rateMillionths('4.2175')).toBe(4_217_500n)
    expect(rateMillionths('0.011762')).toBe(11_762n)
    expect(() => rateMillionths('4.2e1')).toThrow()
    expect(() => rateMillionths('0')).toThrow()
    const byRate = [
      { ratePercent: 23, netMinor: 10000, vatMinor: 2302 },
      { ratePercent: 8, netMinor: 10000, vatMinor: 200 },
      { ratePercent: 5, netMinor: 1000, vatMinor: 50 },
    ]
    // 23.02 × 4.2175 = 97.086850 → 97.09; 2.00 × 4.2175 = 8.4350 → 8.44 (half up); 0.50 × 4.2175 = 2.10875 → 2.11.
    expect(toPln(byRate, eur('2026-12-04', '4.2175')).map((r) => r.plnMinor)).toEqual([9709, 844, 211])
    // 0.01 × 4.2149 = 0.042149 → 0.04 (below half a grosz goes down).
    expect(toPln([{ ratePercent: 23, netMinor: 4, vatMinor: 1 }], eur('2026-12-04', '4.2149'))[0]!.plnMinor).toBe(4)
  })
})

describe('the NBP client against the fake NBP', () => {
  let nbp: FakeNbp
  beforeAll(async () => {
    nbp = await startFakeNbp({ rates: { 'EUR 2026-12-04': 4.2175, 'EUR 2026-12-02': 4.2011 } })
  })
  afterAll(() => nbp.close())

  it('reads table A’s rate of the day, as published (digits, table number, date)', async () => {
    const answer = await new NbpClient(nbp.url).rate('eur', '2026-12-04')
    expect(answer).toEqual({ status: 'found', rate: { currency: 'EUR', day: '2026-12-04', rate: '4.2175', tableNo: expect.stringMatching(/^\d{3}\/A\/NBP\/2026$/), effectiveDate: '2026-12-04' } })
    expect(nbp.state.requests.at(-1)).toBe('GET /api/exchangerates/rates/a/eur/2026-12-04/')
  })

  it('on a day without a table (404) takes the last table before it, kept under the day asked', async () => {
    nbp.state.requests.length = 0
    expect(await new NbpClient(nbp.url).rate('EUR', '2026-12-03')).toMatchObject({ status: 'found', rate: { day: '2026-12-03', rate: '4.2011', effectiveDate: '2026-12-02' } })
    expect(nbp.state.requests).toEqual(['GET /api/exchangerates/rates/a/eur/2026-12-03/', 'GET /api/exchangerates/rates/a/eur/2026-12-02/'])
  })

  it('gives no rate while the NBP is down, unreachable, or answers something that is not a table A rate of that day', async () => {
    nbp.state.down = true
    try {
      expect(await new NbpClient(nbp.url).rate('EUR', '2026-12-04')).toEqual({ status: 'unavailable', detail: 'the NBP answered 503 for EUR on 2026-12-04' })
    } finally {
      nbp.state.down = false
    }
    expect(await new NbpClient('http://127.0.0.1:9/api', { timeoutMs: 2000 }).rate('EUR', '2026-12-04')).toMatchObject({ status: 'unavailable', detail: expect.stringContaining('could not be reached') })
    const wrong = (body: unknown) => new NbpClient('http://nbp.invalid/api', { fetch: async () => Response.json(body) }).rate('EUR', '2026-12-04')
    expect(await wrong({ table: 'A', code: 'EUR', rates: [{ no: '236/A/NBP/2026', effectiveDate: '2026-12-03', mid: 4.2 }] })).toMatchObject({ status: 'unavailable' })
    expect(await wrong({ table: 'A', code: 'USD', rates: [{ no: '236/A/NBP/2026', effectiveDate: '2026-12-04', mid: 4.2 }] })).toMatchObject({ status: 'unavailable' })
    expect(await wrong({ table: 'A', code: 'EUR', rates: [{ no: '236/A/NBP/2026', effectiveDate: '2026-12-04', mid: -1 }] })).toMatchObject({ status: 'unavailable' })
    expect(await wrong({ table: 'A', code: 'EUR', rates: [{ no: '236/A/NBP/2026', effectiveDate: '2026-12-04', mid: 4.2175 }] })).toMatchObject({ status: 'found', rate: { rate: '4.2175' } })
  })
})
