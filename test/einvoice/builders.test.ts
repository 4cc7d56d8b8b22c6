import { describe, expect, it } from 'vitest'
import type { BillingSnapshot } from '../../src/db/schema'
import { totals } from '../../src/domain/vat'
import { buildFa3 } from '../../src/einvoice/fa3'
import { buildFatturaPa, progressive, recipient } from '../../src/einvoice/fatturapa'
import type { EinvoiceInput, EinvoiceLine, EinvoiceSeller } from '../../src/einvoice/model'
import { decimal2, escapeXml, latin1 } from '../../src/einvoice/xml'
import { validate } from '../helpers/xsd'
import { MissingExchangeRate, toPln, type NbpRate } from '../../src/einvoice/nbp/rates'

const PL_SELLER: EinvoiceSeller = {
  country: 'PL',
  name: 'Kontor sp. z o.o.',
  addressLines: ['ul. Przykładowa 1', '00-001 Warszawa', 'Polska'],
  taxId: 'PL5260250274',
  bankAccount: 'PL61 1090 1014 0000 0712 1981 2874',
  regimeFiscale: 'RF01',
}
const IT_SELLER: EinvoiceSeller = {
  country: 'IT',
  name: 'Kontor S.r.l.',
  addressLines: ['Via Esempio 1', '00184 Roma RM', 'Italia'],
  taxId: 'IT01234560017',
  bankAccount: 'IT60 X054 2811 1010 0000 0123 456',
  regimeFiscale: 'RF01',
}
const buyer = (b: Partial<BillingSnapshot>): BillingSnapshot => ({
  name: 'Zakład „Żółć” & Syn <Sp. z o.o.>',
  legalForm: 'company',
  country: 'PL',
  taxId: 'PL7740001454',
  addressLine: 'ul. Ślężna 3',
  postalCode: '90-001',
  city: 'Łódź',
  billingEmail: 'faktury@zolc.example',
  einvoiceId: null,
  ...b,
})

function line(label: string, quantity: number, unitNetMinor: number, vatRateBp: number): EinvoiceLine {
  const netMinor = quantity * unitNetMinor
  return { label, quantity, unitNetMinor, netMinor, vatRateBp, vatMinor: Math.round((netMinor * vatRateBp) / 10_000) }
}

function input(seller: EinvoiceSeller, b: BillingSnapshot, lines: EinvoiceLine[], over: Partial<EinvoiceInput> = {}): EinvoiceInput {
  return {
    number: 'FV/2026/000017',
    issueDate: '2026-12-01',
    issuedAt: new Date('2026-11-30T23:30:00.123Z'),
    paidDate: '2026-12-01',
    seller,
    buyer: b,
    currency: 'PLN',
    lines,
    totals: totals(lines.map((l) => ({ netMinor: l.netMinor, ratePercent: l.vatRateBp / 100 }))),
    reverseCharge: false,
    paymentMethod: 'card',
    systemInfo: 'Kontor',
    ...over,
  }
}

const field = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1])

describe('XML text', () => {
  it('escapes markup characters and drops what XML 1.0 cannot carry', () => {
    expect(escapeXml('A & B <c> "d" \u0007e\uFFFEf')).toBe('A &amp; B &lt;c&gt; &quot;d&quot; ef')
  })
  it('writes minor units as exact decimals', () => {
    expect([decimal2(0), decimal2(5), decimal2(35670), decimal2(-1230), decimal2(900719925474099)]).toEqual(['0.00', '0.05', '356.70', '-12.30', '9007199254740.99'])
  })
  it('spells text in Latin-1 for FatturaPA: letters outside it lose their marks (ó is in it), quotes become plain, the rest "?"', () => {
    expect(latin1('Zakład „Żółć” Łódź – Caffè Perù 😀', 100)).toBe('Zaklad "Zólc" Lódz - Caffè Perù ?')
    expect(latin1('x'.repeat(90), 80)).toHaveLength(80)
  })
})

describe('FA(3)', () => {
  it('a Polish company at 23 %: NIP, escaped name, P_13_1/P_14_1 and P_15 to the cent, valid against the schema', () => {
    const xml = buildFa3(input(PL_SELLER, buyer({}), [line('Sekretariat Silver, 1 rok', 1, 29000, 2300), line('Pakiet 5 użytkowników', 3, 3333, 2300)]))
    expect(validate(xml, 'FA3')).toEqual({ ok: true, errors: '' })
    expect(xml).toContain('<Nazwa>Zakład „Żółć” &amp; Syn &lt;Sp. z o.o.&gt;</Nazwa>')
    expect(field(xml, 'NIP')).toEqual(['5260250274', '7740001454'])
    expect([field(xml, 'P_13_1'), field(xml, 'P_14_1'), field(xml, 'P_15')]).toEqual([['389.99'], ['89.70'], ['479.69']])
    expect(field(xml, 'P_12')).toEqual(['23', '23'])
    expect(field(xml, 'P_18')).toEqual(['2'])
    expect(field(xml, 'DataWytworzeniaFa')).toEqual(['2026-11-30T23:30:00Z'])
    expect(field(xml, 'FormaPlatnosci')).toEqual(['2'])
  })

  it('an EU company under reverse charge: KodUE and NrVatUE, np II on every line, P_13_9, P_18 = 1, no VAT', () => {
    const xml = buildFa3(input(PL_SELLER, buyer({ country: 'GR', taxId: 'EL094259216', name: 'Ελληνική Α.Ε.' }), [line('Platform Base, 1 year', 1, 30000, 0)], { reverseCharge: true, currency: 'EUR' }))
    expect(validate(xml, 'FA3')).toEqual({ ok: true, errors: '' })
    expect([field(xml, 'KodUE'), field(xml, 'NrVatUE'), field(xml, 'P_12'), field(xml, 'P_13_9'), field(xml, 'P_15'), field(xml, 'P_18')]).toEqual([['EL'], ['094259216'], ['np II'], ['300.00'], ['300.00'], ['1']])
    expect(xml).not.toContain('<P_14_')
  })

  it('a private person: BrakID; in another member state with its own rate (Italy, 22 %): the one-stop shop, P_12_XII and P_13_5/P_14_5', () => {
    const home = buildFa3(input(PL_SELLER, buyer({ legalForm: 'person', taxId: null, name: 'Jan Kowalski' }), [line('Certyfikat', 2, 10000, 2300)], { paymentMethod: 'paypal' }))
    expect(validate(home, 'FA3')).toEqual({ ok: true, errors: '' })
    expect([field(home, 'BrakID'), field(home, 'P_13_1'), field(home, 'P_14_1'), field(home, 'OpisPlatnosci')]).toEqual([['1'], ['200.00'], ['46.00'], ['PayPal']])
    const oss = buildFa3(input(PL_SELLER, buyer({ legalForm: 'person', taxId: null, country: 'IT', name: 'Maria Rossi' }), [line('Certificato', 1, 10000, 2200)], { currency: 'EUR' }))
    expect(validate(oss, 'FA3')).toEqual({ ok: true, errors: '' })
    expect([field(oss, 'P_12_XII'), field(oss, 'P_13_5'), field(oss, 'P_14_5'), field(oss, 'P_12')]).toEqual([['22.00'], ['100.00'], ['22.00'], []])
  })

  it('a buyer outside the EU: its country and tax number (NrID), or BrakID without one; Polish VAT as charged', () => {
    const xml = buildFa3(input(PL_SELLER, buyer({ country: 'US', taxId: '12-3456789', name: 'Acme Inc.', postalCode: '10001', city: 'New York' }), [line('Gold', 1, 59000, 2300)], { paymentMethod: 'transfer' }))
    expect(validate(xml, 'FA3')).toEqual({ ok: true, errors: '' })
    expect([field(xml, 'KodKraju'), field(xml, 'NrID'), field(xml, 'P_13_1'), field(xml, 'FormaPlatnosci')]).toEqual([['PL', 'US', 'US'], ['12-3456789'], ['590.00'], ['6']])
  })

  it('in euro with Polish VAT: P_14_1W is the VAT × the NBP rate rounded to the grosz, the rate on every line (KursWaluty); valid against the schema', () => {
    const lines = [line('Platform Base, 1 year', 1, 30000, 2300), line('+1 user', 5, 2000, 2300)]
    const base = input(PL_SELLER, buyer({}), lines, { currency: 'EUR' })
    const rate: NbpRate = { currency: 'EUR', day: '2026-11-30', rate: '4.2175', tableNo: '231/A/NBP/2026', effectiveDate: '2026-11-30' }
    const xml = buildFa3({ ...base, pln: { status: 'converted', rate, byRate: toPln(base.totals.byRate, rate) } })
    expect(validate(xml, 'FA3')).toEqual({ ok: true, errors: '' })
    // 400.00 EUR net, 92.00 EUR VAT; 92.00 × 4.2175 = 388.01 PLN.
    expect([field(xml, 'KodWaluty'), field(xml, 'P_13_1'), field(xml, 'P_14_1'), field(xml, 'P_14_1W'), field(xml, 'KursWaluty')]).toEqual([['EUR'], ['400.00'], ['92.00'], ['388.01'], ['4.2175', '4.2175']])
    expect(xml.indexOf('<P_14_1W>')).toBeGreaterThan(xml.indexOf('<P_14_1>'))
    // Without the rate there is no document at all, rather than one without its VAT in złoty.
    expect(() => buildFa3({ ...base, pln: { status: 'missing', currency: 'EUR', day: '2026-11-30' } })).toThrow(MissingExchangeRate)
    // An invoice in złoty has nothing to convert (reverse charge and the one-stop shop: test/einvoice/nbp-job.test.ts).
    expect(buildFa3(input(PL_SELLER, buyer({}), lines))).not.toMatch(/<P_14_1W>|<KursWaluty>/)
  })

  it('refuses a VAT rate FA(3) has no code for, and totals that are not the sums of the lines', () => {
    expect(() => buildFa3(input(PL_SELLER, buyer({}), [line('x', 1, 100, 1900)]))).toThrow('no Polish VAT rate of 19 %')
    const bad = input(PL_SELLER, buyer({}), [line('x', 1, 100, 2300)])
    expect(() => buildFa3({ ...bad, totals: { ...bad.totals, grossMinor: 124 } })).toThrow('not the sums of its lines')
  })
})

describe('FatturaPA FPR12', () => {
  it('CodiceDestinatario: an Italian buyer’s SDI code, 0000000 with its PEC, 0000000 alone without either, XXXXXXX abroad', () => {
    expect(recipient({ country: 'IT', einvoiceId: 'm5uxcr1' })).toEqual({ code: 'M5UXCR1', pec: null })
    expect(recipient({ country: 'IT', einvoiceId: 'fatture@pec.caffe.it' })).toEqual({ code: '0000000', pec: 'fatture@pec.caffe.it' })
    expect(recipient({ country: 'IT', einvoiceId: null })).toEqual({ code: '0000000', pec: null })
    expect(recipient({ country: 'DE', einvoiceId: 'ABC1234' })).toEqual({ code: 'XXXXXXX', pec: null })
  })

  it('the progressive is 5 characters, unique per invoice number and year', () => {
    // 26 × 1 000 000 + 17 = 26 000 017 = FH9QP in base 36.
    expect(progressive('FV/2026/000017')).toBe('FH9QP')
    expect(progressive('FV/2027/000017')).not.toBe(progressive('FV/2026/000017'))
    expect(progressive('FV/2059/999999')).toHaveLength(5)
  })

  it('an Italian company at 22 % by SDI code: file name, Latin-1 names, summary to the cent, valid against the schema', () => {
    const b = buyer({ country: 'IT', taxId: 'IT00743110157', name: 'Caffè Perù & Figli', addressLine: 'Via Niccolò Tommaseo 7', postalCode: '35131', city: 'Padova', einvoiceId: 'M5UXCR1' })
    const { fileName, xml } = buildFatturaPa(input(IT_SELLER, b, [line('Sekretariat Gold', 1, 59000, 2200), line('Pacchetto utenti', 3, 3333, 2200)], { currency: 'EUR', paymentMethod: 'transfer' }))
    expect(validate(xml, 'FPR12')).toEqual({ ok: true, errors: '' })
    expect(fileName).toBe('IT01234560017_FH9QP.xml')
    expect(xml).toContain('<Denominazione>Caffè Perù &amp; Figli</Denominazione>')
    expect([field(xml, 'CodiceDestinatario'), field(xml, 'ImponibileImporto'), field(xml, 'Imposta'), field(xml, 'ImportoTotaleDocumento'), field(xml, 'IBAN')]).toEqual([
      ['M5UXCR1'], ['689.99'], ['151.80'], ['841.79'], ['IT60X0542811101000000123456'],
    ])
  })

  it('a Polish company under reverse charge: N2.1 with its legal reference, XXXXXXX, CAP 00000, Polish letters in Latin-1', () => {
    const { xml } = buildFatturaPa(input(IT_SELLER, buyer({}), [line('Sekretariat Silver', 1, 29000, 0)], { currency: 'PLN', reverseCharge: true }))
    expect(validate(xml, 'FPR12')).toEqual({ ok: true, errors: '' })
    expect([field(xml, 'CodiceDestinatario'), field(xml, 'Natura'), field(xml, 'CAP'), field(xml, 'Comune'), field(xml, 'Imposta')]).toEqual([
      ['XXXXXXX'], ['N2.1', 'N2.1'], ['00184', '00000'], ['Roma', 'Lódz'], ['0.00'],
    ])
    expect(xml).toContain('<Denominazione>Zaklad &quot;Zólc&quot; &amp; Syn &lt;Sp. z o.o.&gt;</Denominazione>')
    expect(xml).toContain('<RiferimentoNormativo>Inversione contabile - art. 7-ter DPR 633/72</RiferimentoNormativo>')
  })

  it('private persons: one abroad gets its country and 99999999999; an Italian one their CodiceFiscale, after any IdFiscaleIVA and before Anagrafica — all valid against the schema', () => {
    const abroad = buildFatturaPa(input(IT_SELLER, buyer({ legalForm: 'person', taxId: null, country: 'US', name: 'John Doe' }), [line('Certificate', 1, 10000, 2200)], { currency: 'EUR' })).xml
    expect(validate(abroad, 'FPR12')).toEqual({ ok: true, errors: '' })
    expect([field(abroad, 'IdCodice'), field(abroad, 'CodiceFiscale')]).toEqual([['01234560017', '01234560017', '99999999999'], []])
    const person = { legalForm: 'person', taxId: null, country: 'IT', name: 'Maria Rossi', postalCode: '00100', city: 'Roma' } as const
    const home = buildFatturaPa(input(IT_SELLER, buyer({ ...person, codiceFiscale: 'RSSMRA85T10A562S' }), [line('Certificato', 1, 10000, 2200)], { currency: 'EUR' })).xml
    expect(validate(home, 'FPR12')).toEqual({ ok: true, errors: '' })
    expect([field(home, 'CodiceDestinatario'), field(home, 'IdCodice'), field(home, 'CodiceFiscale')]).toEqual([['0000000'], ['01234560017', '01234560017'], ['RSSMRA85T10A562S']])
    expect(home).toContain('<DatiAnagrafici>\n        <CodiceFiscale>RSSMRA85T10A562S</CodiceFiscale>\n        <Anagrafica>')
    // An order from before checkout asked for it: no identifier at all, as before (schema-valid; SdI refuses it with 00417).
    const before = buildFatturaPa(input(IT_SELLER, buyer(person), [line('Certificato', 1, 10000, 2200)], { currency: 'EUR' })).xml
    expect(validate(before, 'FPR12')).toEqual({ ok: true, errors: '' })
    expect([field(before, 'IdCodice'), field(before, 'CodiceFiscale')]).toEqual([['01234560017', '01234560017'], []])
  })
})
