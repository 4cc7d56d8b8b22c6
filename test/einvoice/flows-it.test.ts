// An Italian seller's invoices as the app issues them: every FatturaPA FPR12 validates against the
// official schema, its CodiceDestinatario follows the buyer (SDI code, PEC, none, abroad), its sums
// are the order's and the PDF's to the cent, and the PDF carries no KSeF code.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { pdfQrCodes } from '../helpers/pdf'
import { createUser } from '../helpers/users'
import { validate } from '../helpers/xsd'
import { expectPrinted, field, issued, minor, paidInvoice } from './helpers'
import { eq } from 'drizzle-orm'
import { orders, orgs } from '../../src/db/schema'

const vendor = loadConfig({ KONTOR_ENV: 'test', VENDOR_COUNTRY: 'IT', VENDOR_TIME_ZONE: 'Europe/Rome' }).vendor
const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { vendor } })
await t.seedCatalog()
const operator = await createUser(t.deps, { email: 'sdi-operator@example.com', operator: true })

type Buyer = Awaited<ReturnType<typeof adminWithOrg>>

async function checked(buyer: Buyer, orderId: string) {
  const invoice = await paidInvoice(t, operator, orderId)
  const r = await issued(t, invoice.id, buyer.b, buyer.slug)
  expect(r.document.format).toBe('FPR12')
  expect(validate(r.document.xml, 'FPR12')).toEqual({ ok: true, errors: '' })
  const { xml, order } = r
  expect([field(xml, 'Numero'), field(xml, 'Divisa'), field(xml, 'Data')]).toEqual([[invoice.number], [order.currency], ['2026-11-20']])
  expect(minor(field(xml, 'ImportoTotaleDocumento')[0]!)).toBe(order.grossMinor)
  expect(field(xml, 'ImponibileImporto').map(minor).reduce((a, b) => a + b, 0)).toBe(order.netMinor)
  expect(field(xml, 'Imposta').map(minor).reduce((a, b) => a + b, 0)).toBe(order.vatMinor)
  expect(field(xml, 'PrezzoTotale').map(minor).reduce((a, b) => a + b, 0)).toBe(order.netMinor)
  expectPrinted(r.pdfText, [...field(xml, 'ImportoTotaleDocumento'), ...field(xml, 'ImponibileImporto'), ...field(xml, 'Imposta'), ...field(xml, 'PrezzoTotale')], order.currency)
  // KOD I is KSeF's: an Italian seller's PDF has no QR code and no KSeF block.
  expect(pdfQrCodes(r.pdf)).toEqual([[]])
  expect(r.pdfText).not.toContain('KSeF')
  return { ...r, invoice }
}

describe('FatturaPA FPR12 e-invoices of an Italian seller, through the app’s flows', () => {
  it('an Italian company with an SDI code: its code, its partita IVA, 22 %, the file named IT<seller>_<progressive>.xml', async () => {
    const buyer = await adminWithOrg(t, 'it-sdi@example.com', { country: 'IT', einvoiceId: 'm5uxcr1' })
    const { xml, document } = await checked(buyer, (await orderFor(t, buyer, 'card')).id)
    expect([field(xml, 'CodiceDestinatario'), field(xml, 'PECDestinatario'), field(xml, 'AliquotaIVA'), field(xml, 'EsigibilitaIVA'), field(xml, 'ModalitaPagamento')]).toEqual([
      // A card order an operator marked paid was paid by bank transfer (docs/rules.md, issue 16 rule 9): MP05.
      ['M5UXCR1'], [], ['22.00', '22.00'], ['I'], ['MP05'],
    ])
    expect(field(xml, 'IdCodice')).toEqual(['01234560017', '01234560017', '00743110157'])
    expect(document.fileName).toMatch(/^IT01234560017_[0-9A-Z]{5}\.xml$/)
    expect(field(xml, 'ProgressivoInvio')).toEqual([document.fileName.slice(14, 19)])
  })

  it('an Italian company with a PEC address: 0000000 and PECDestinatario; paid by transfer, with the seller’s IBAN', async () => {
    const buyer = await adminWithOrg(t, 'it-pec@example.com', { country: 'IT', einvoiceId: 'fatture@pec.example.it', taxId: '00905811006' })
    const { xml } = await checked(buyer, (await orderFor(t, buyer, 'transfer')).id)
    expect([field(xml, 'CodiceDestinatario'), field(xml, 'PECDestinatario'), field(xml, 'ModalitaPagamento'), field(xml, 'IBAN')]).toEqual([
      ['0000000'], ['fatture@pec.example.it'], ['MP05'], ['IT60X0542811101000000123456'],
    ])
  })

  it('an Italian private person: 0000000 without a PEC, named by the codice fiscale given at checkout, printed as C.F. on the PDF', async () => {
    const buyer = await adminWithOrg(t, 'it-privato@example.com', { country: 'IT', legalForm: 'person', codiceFiscale: 'RSSMRA85T10A562S' })
    const { xml, pdfText } = await checked(buyer, (await orderFor(t, buyer, 'transfer')).id)
    expect([field(xml, 'CodiceDestinatario'), field(xml, 'IdCodice'), field(xml, 'CodiceFiscale')]).toEqual([['0000000'], ['01234560017', '01234560017'], ['RSSMRA85T10A562S']])
    expect(pdfText).toContain('Tax code (C.F.): RSSMRA85T10A562S')
  })

  it('an Italian person’s order from before checkout asked: no identifier (SdI refuses it) until the person gives their codice fiscale, then the rebuilt file and the PDF carry it', async () => {
    const buyer = await adminWithOrg(t, 'it-prima@example.com', { country: 'IT', legalForm: 'person', codiceFiscale: 'MRTMTT25D09F205Z' })
    const { id } = await orderFor(t, buyer, 'transfer')
    // The state an order placed before this change is in: no codiceFiscale in its snapshot, none on the org.
    const { codiceFiscale: _, ...billing } = (await t.db.select().from(orders).where(eq(orders.id, id)).get())!.billing
    await t.db.update(orders).set({ billing }).where(eq(orders.id, id))
    await t.db.update(orgs).set({ codiceFiscale: null }).where(eq(orgs.id, buyer.org.id))
    const before = await checked(buyer, id)
    expect([field(before.xml, 'IdCodice'), field(before.xml, 'CodiceFiscale')]).toEqual([['01234560017', '01234560017'], []])
    expect(before.pdfText).not.toContain('C.F.')

    await t.db.update(orgs).set({ codiceFiscale: 'MRTMTT25D09F205Z' }).where(eq(orgs.id, buyer.org.id))
    const after = await issued(t, before.invoice.id, buyer.b, buyer.slug)
    expect(validate(after.document.xml, 'FPR12')).toEqual({ ok: true, errors: '' })
    expect(field(after.xml, 'CodiceFiscale')).toEqual(['MRTMTT25D09F205Z'])
    expect(after.pdfText).toContain('Tax code (C.F.): MRTMTT25D09F205Z')
    // What the order recorded is not rewritten.
    expect((await t.db.select().from(orders).where(eq(orders.id, id)).get())!.billing).toEqual(billing)
  })

  it('a Polish company under reverse charge: XXXXXXX, its VAT number, N2.1 with the legal reference, no VAT', async () => {
    const buyer = await adminWithOrg(t, 'pl-for-it@example.com')
    const { xml } = await checked(buyer, (await orderFor(t, buyer, 'transfer')).id)
    expect([field(xml, 'CodiceDestinatario'), field(xml, 'IdPaese'), field(xml, 'Natura'), field(xml, 'Imposta'), field(xml, 'CAP'), field(xml, 'Nazione')]).toEqual([
      ['XXXXXXX'], ['IT', 'IT', 'PL'], ['N2.1', 'N2.1'], ['0.00'], ['00184', '00000'], ['IT', 'PL'],
    ])
    expect(field(xml, 'RiferimentoNormativo')).toEqual(['Inversione contabile - art. 7-ter DPR 633/72'])
  })

  it('e-code units for a German person: XXXXXXX, its country and 99999999999, the rate the PDF charges', async () => {
    const buyer = await adminWithOrg(t, 'de-person@example.com', { country: 'DE', legalForm: 'person' })
    const { xml, order } = await checked(buyer, (await orderFor(t, buyer, 'transfer', { product: 'simplysign', variant: 'signature-1y', quantity: 2 })).id)
    expect([field(xml, 'CodiceDestinatario'), field(xml, 'IdCodice').at(-1), field(xml, 'Quantita')]).toEqual([['XXXXXXX'], '99999999999', ['2.00']])
    expect(field(xml, 'AliquotaIVA')[0]).toBe((order.vat.ratePercent).toFixed(2))
  })

  it('the order page offers the FatturaPA XML and says honestly that SdI has not had it yet', async () => {
    const buyer = await adminWithOrg(t, 'it-page@example.com', { country: 'IT', einvoiceId: 'ABC1234', taxId: '07654320014' })
    const { id } = await orderFor(t, buyer, 'card')
    const { invoice, document } = await checked(buyer, id)
    const page = textOf(await (await buyer.b.get(`/o/${buyer.slug}/orders/${id}`)).text())
    expect(page).toContain('Download the e-invoice (FatturaPA XML)')
    expect(page).toContain('SdI: the e-invoice has not been sent yet.')
    expect(page).not.toContain('OFFLINE')
    const res = await buyer.b.get(`/o/${buyer.slug}/invoices/${invoice.id}/xml`)
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="${document.fileName}"`)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(document.xml)
  })
})
