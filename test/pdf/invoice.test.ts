import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import type { BillingSnapshot, SellerSnapshot } from '../../src/db/schema'
import { totals } from '../../src/domain/vat'
import { renderInvoicePdf, type InvoiceInput, type InvoiceLine } from '../../src/pdf/invoice'
import { pdfQrCodes, pdfText } from '../helpers/pdf'

const seller: SellerSnapshot = {
  name: 'Kontor sp. z o.o.',
  addressLines: ['ul. Przykładowa 1', '00-001 Warszawa', 'Polska'],
  taxId: 'PL5260250274',
  bankAccount: 'PL61 1090 1014 0000 0712 1981 2874',
}

const polishBuyer: BillingSnapshot = {
  name: 'Zakład Źródlany „Żółć” Sp. z o.o.',
  legalForm: 'company',
  country: 'PL',
  taxId: 'PL7740001454',
  addressLine: 'ul. Ślężna 3',
  postalCode: '90-001',
  city: 'Łódź',
  billingEmail: 'faktury@zolc.example',
  einvoiceId: null,
}

const italianBuyer: BillingSnapshot = {
  name: 'Caffè Perù Società S.r.l.',
  legalForm: 'company',
  country: 'IT',
  taxId: 'IT00743110157',
  addressLine: 'Via Niccolò Tommaseo 7',
  postalCode: '35131',
  city: 'Padova',
  billingEmail: 'fatture@caffeperu.example',
  einvoiceId: 'M5UXCR1',
}

/** A line as checkout writes it: net = quantity × unit price, VAT rounded on the line. */
function line(label: string, quantity: number, unitNetMinor: number, vatRateBp: number): InvoiceLine {
  const netMinor = quantity * unitNetMinor
  return { label, quantity, unitNetMinor, netMinor, vatRateBp, vatMinor: Math.round((netMinor * vatRateBp) / 10_000) }
}

function invoice(lines: InvoiceLine[], overrides: Partial<InvoiceInput> = {}): InvoiceInput {
  return {
    lang: 'pl',
    number: 'FV/2026/000017',
    // Late on 30 November in UTC is already 1 December in Warsaw: the vendor's calendar counts.
    issuedAt: new Date('2026-11-30T23:30:00Z'),
    timeZone: 'Europe/Warsaw',
    orderNumber: 'KON/2026/11/000123',
    seller,
    sellerCountry: 'PL',
    buyer: polishBuyer,
    currency: 'PLN',
    lines,
    totals: totals(lines.map((l) => ({ netMinor: l.netMinor, ratePercent: l.vatRateBp / 100 }))),
    reverseCharge: false,
    paymentMethod: 'card',
    vendorName: 'Kontor',
    ...overrides,
  }
}

/**
 * The printed lines as `pdftotext -layout` keeps them, spaces collapsed: a table row reads across as
 * a person reads it, where pdfText may read a table column by column.
 */
function pdfLines(bytes: Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-invoice-'))
  try {
    const file = join(dir, 'invoice.pdf')
    writeFileSync(file, bytes)
    const r = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr || r.error}`)
    return r.stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const pageCount = async (bytes: Uint8Array) => (await PDFDocument.load(bytes)).getPageCount()

describe('invoice PDF', () => {
  it('a Polish invoice with two lines at 23 % shows the number, both tax ids, each line and the exact totals', async () => {
    const bytes = await renderInvoicePdf(
      invoice([line('Plan Pro — 12 miesięcy', 1, 200_00, 2300), line('Dodatkowe stanowiska (pakiet 5)', 3, 30_00, 2300)]),
    )
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-')
    expect(await pageCount(bytes)).toBe(1)
    const text = pdfText(bytes)
    expect(text).toContain('Faktura VAT FV/2026/000017 Data wystawienia: 1 grudnia 2026 Data sprzedaży: 1 grudnia 2026 Zamówienie: KON/2026/11/000123')
    expect(text).toContain('Sprzedawca Nabywca Kontor sp. z o.o. ul. Przykładowa 1 00-001 Warszawa Polska NIP: PL5260250274 Numer konta: PL61 1090 1014 0000 0712 1981 2874')
    expect(text).toContain('Zakład Źródlany „Żółć” Sp. z o.o. ul. Ślężna 3 90-001 Łódź Polska NIP: PL7740001454')
    expect(text).not.toContain('Odwrotne obciążenie')
    expect(text).not.toContain('Kod SDI')
    const lines = pdfLines(bytes)
    // No., description, quantity, unit net, net, rate, VAT, gross; then the VAT summary and the totals.
    expect(lines).toContain('1 Plan Pro — 12 miesięcy 1 200,00 zł 200,00 zł 23% 46,00 zł 246,00 zł')
    expect(lines).toContain('2 Dodatkowe stanowiska (pakiet 5) 3 30,00 zł 90,00 zł 23% 20,70 zł 110,70 zł')
    expect(lines).toContain('W tym według stawek 290,00 zł 23% 66,70 zł 356,70 zł')
    expect(lines.slice(lines.indexOf('Razem netto 290,00 zł'))).toEqual([
      'Razem netto 290,00 zł',
      'Razem VAT 66,70 zł',
      'Razem brutto 356,70 zł',
      'Zapłacono (karta płatnicza) 356,70 zł',
      'Do zapłaty 0,00 zł',
      'FV/2026/000017 Strona 1 z 1',
    ])
  })

  it('an Italian reverse-charge invoice in euro prints the legal note, the SDI code and no VAT', async () => {
    const bytes = await renderInvoicePdf(
      invoice([line('Licenza annuale — Pro', 2, 59_00, 0)], {
        lang: 'it',
        number: 'FV/2026/000018',
        buyer: italianBuyer,
        currency: 'EUR',
        reverseCharge: true,
        paymentMethod: 'paypal',
      }),
    )
    const text = pdfText(bytes)
    expect(text).toContain('Fattura FV/2026/000018 Data di emissione: 1 dicembre 2026')
    expect(text).toContain('Cedente Cessionario Kontor sp. z o.o.')
    expect(text).toContain('Partita IVA: PL5260250274')
    expect(text).toContain('Caffè Perù Società S.r.l. Via Niccolò Tommaseo 7 35131 Padova Italia Partita IVA: IT00743110157 Codice SDI / PEC: M5UXCR1')
    expect(text).not.toContain('%')
    const lines = pdfLines(bytes)
    expect(lines).toContain('1 Licenza annuale — Pro 2 59,00 € 118,00 € inv. contabile 0,00 € 118,00 €')
    expect(lines).toContain('Riepilogo per aliquota 118,00 € inv. contabile 0,00 € 118,00 €')
    expect(lines.slice(lines.indexOf('Totale imponibile 118,00 €'))).toEqual([
      'Totale imponibile 118,00 €',
      'Totale IVA 0,00 €',
      'Totale documento 118,00 €',
      'Pagato (PayPal) 118,00 €',
      'Da pagare 0,00 €',
      'Inversione contabile',
      'FV/2026/000018 Pagina 1 di 1',
    ])
  })

  it('an Italian private person is printed with their codice fiscale (C.F.), in each language', async () => {
    const person: BillingSnapshot = { ...italianBuyer, name: 'Mario Rossi', legalForm: 'person', taxId: null, einvoiceId: null, codiceFiscale: 'RSSMRA85T10A562S' }
    const printed = async (lang: 'it' | 'pl' | 'en') => pdfText(await renderInvoicePdf(invoice([line('Licenza annuale', 1, 59_00, 2200)], { lang, buyer: person, currency: 'EUR' })))
    expect(await printed('it')).toContain('Mario Rossi Via Niccolò Tommaseo 7 35131 Padova Italia C.F.: RSSMRA85T10A562S')
    expect(await printed('pl')).toContain('Kod podatkowy (C.F.): RSSMRA85T10A562S')
    expect(await printed('en')).toContain('Tax code (C.F.): RSSMRA85T10A562S')
    // A person without one (an order from before checkout asked): no such line.
    expect(pdfText(await renderInvoicePdf(invoice([line('Licenza annuale', 1, 59_00, 2200)], { lang: 'it', buyer: { ...person, codiceFiscale: null } })))).not.toContain('C.F.')
  })

  it('prints Polish and Italian letters as they are written', async () => {
    const polish = await renderInvoicePdf(invoice([line('Usługa: źdźbło, gęślą jaźń — ŻÓŁW', 1, 10_00, 2300)]))
    expect(pdfText(polish)).toContain('Zakład Źródlany „Żółć” Sp. z o.o. ul. Ślężna 3 90-001 Łódź')
    expect(pdfLines(polish)).toContain('1 Usługa: źdźbło, gęślą jaźń — ŻÓŁW 1 10,00 zł 10,00 zł 23% 2,30 zł 12,30 zł')
    const italian = await renderInvoicePdf(
      invoice([line('Attività di verifica — più qualità, perché sì', 1, 10_00, 2200)], { lang: 'it', buyer: italianBuyer, currency: 'EUR' }),
    )
    expect(pdfText(italian)).toContain('Caffè Perù Società S.r.l. Via Niccolò Tommaseo 7')
    expect(pdfLines(italian)).toContain('1 Attività di verifica — più qualità, perché sì 1 10,00 € 10,00 € 22% 2,20 € 12,20 €')
  })

  it('an invoice too long for one page continues on the next, repeating the column titles and losing no line', async () => {
    const items = Array.from({ length: 60 }, (_, i) => line(`Pozycja nr ${i + 1}`, 1, 10_00, 2300))
    const bytes = await renderInvoicePdf(invoice(items))
    const pages = await pageCount(bytes)
    expect(pages).toBeGreaterThan(1)
    const lines = pdfLines(bytes)
    expect(lines.filter((l) => l.includes('Pozycja nr'))).toEqual(items.map((_, i) => `${i + 1} Pozycja nr ${i + 1} 1 10,00 zł 10,00 zł 23% 2,30 zł 12,30 zł`))
    expect(lines.filter((l) => l.startsWith('Lp. Nazwa towaru lub usługi'))).toHaveLength(pages)
    expect(lines).toContain('Razem netto 600,00 zł')
    expect(lines).toContain('Razem VAT 138,00 zł')
    expect(lines).toContain('Razem brutto 738,00 zł')
    expect(lines.filter((l) => l.startsWith('FV/2026/000017 Strona'))).toEqual(Array.from({ length: pages }, (_, i) => `FV/2026/000017 Strona ${i + 1} z ${pages}`))
  })

  it('speaks English, with the payment method and the e-invoicing label in English', async () => {
    const bytes = await renderInvoicePdf(
      invoice([line('Pro plan — 1 month', 1, 49_00, 2200)], { lang: 'en', buyer: italianBuyer, currency: 'EUR', paymentMethod: 'transfer' }),
    )
    expect(pdfText(bytes)).toContain(
      'Invoice FV/2026/000017 Issue date: 1 December 2026 Date of sale: 1 December 2026 Order: KON/2026/11/000123 Seller Buyer Kontor sp. z o.o.',
    )
    expect(pdfText(bytes)).toContain('Italy VAT number: IT00743110157 SDI code / PEC: M5UXCR1')
    const lines = pdfLines(bytes)
    expect(lines).toContain('1 Pro plan — 1 month 1 €49.00 €49.00 22% €10.78 €59.78')
    expect(lines).toContain('Paid (bank transfer) €59.78')
    expect(lines).toContain('To pay €0.00')
  })

  it('ends with KSeF’s KOD I when given one: the code decodes to the link, the KSeF number under it, the link in print; none without', async () => {
    const link = 'https://qr.ksef.mf.gov.pl/invoice/5260250274/01-12-2026/UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE'
    const bytes = await renderInvoicePdf(invoice([line('Plan Silver', 1, 290_00, 2300)], { ksef: { link, label: '5265877635-20250826-0100001AF629-AF' } }))
    expect(pdfQrCodes(bytes)).toEqual([[link]])
    const text = pdfText(bytes)
    expect(text).toContain('5265877635-20250826-0100001AF629-AF')
    expect(text).toContain('KSeF (Krajowy System e-Faktur) Zeskanuj kod lub otwórz adres poniżej, aby zweryfikować fakturę i pobrać ją z KSeF.')
    expect(text.replace(/\s/g, '')).toContain(link)
    expect(pdfQrCodes(await renderInvoicePdf(invoice([line('Plan Silver', 1, 290_00, 2300)])))).toEqual([[]])
  })
})
