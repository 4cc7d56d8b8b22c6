// The whole way of a Polish seller's invoice, with the app's own FA(3): paid, then the einvoices job
// sends it to the fake KSeF, which decrypts and validates it and gives it a number; from then on the
// customer's order page and the invoice PDF carry that number as KOD I's label instead of OFFLINE
// (issue 18 items 1, 2 and 5).
import { afterAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { einvoiceSubmissions, outbox } from '../../src/db/schema'
import { KsefChannel } from '../../src/einvoice/ksef/channel'
import { isKsefNumber } from '../../src/einvoice/ksef/number'
import { startFakeKsef } from '../../src/einvoice/ksef/fake-server'
import { einvoiceDocument } from '../../src/einvoice/document'
import { kodILink } from '../../src/einvoice/kod1'
import { runEInvoices } from '../../src/jobs/einvoices'
import { runMail } from '../../src/jobs/mail'
import { INVOICE_MAIL_HOLD, invoiceMailId } from '../../src/services/einvoices'
import { NO_LEASE } from '../../src/jobs/runner'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { pdfQrCodes, pdfText } from '../helpers/pdf'
import { createUser } from '../helpers/users'
import { field, paidInvoice } from './helpers'

const TOKEN = 'kontor-numbers-test-token'
const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const operator = await createUser(t.deps, { email: 'numbers-operator@example.com', operator: true })
// The fake KSeF knows the token as the seller's: the NIP of the configured VENDOR_TAX_ID.
const fake = await startFakeKsef({ tokens: { [TOKEN]: t.config.vendor.taxId.replace(/^PL/, '') } })
afterAll(() => fake.close())

describe('an invoice through KSeF, as the customer sees it', () => {
  it('is OFFLINE until the job has KSeF’s number, then shows the number on the order page and the PDF', async () => {
    const buyer = await adminWithOrg(t, 'numbers@example.com')
    const order = await orderFor(t, buyer, 'transfer')
    const invoice = await paidInvoice(t, operator, order.id)
    const orderPage = async () => textOf(await (await buyer.b.get(`/o/${buyer.slug}/orders/${order.id}`)).text())
    const pdf = async () => new Uint8Array(await (await buyer.b.get(`/o/${buyer.slug}/invoices/${invoice.id}`)).arrayBuffer())
    expect(await orderPage()).toContain('OFFLINE')

    const channel = new KsefChannel({ apiBase: fake.url, token: TOKEN, nip: t.config.vendor.taxId.replace(/^PL/, '') }, { sleep: async () => {}, pollEveryMs: 0 }, 3)
    const report = await runEInvoices(t.deps, t.clock.now(), NO_LEASE, { channel, document: einvoiceDocument })
    expect(report.counts).toMatchObject({ accepted: 1, rejected: 0, offline: 0 })
    expect(report.errors).toEqual([])
    const row = (await t.db.select().from(einvoiceSubmissions).where(eq(einvoiceSubmissions.invoiceId, invoice.id)).get())!
    expect(row.state).toBe('accepted')
    expect(isKsefNumber(row.number!)).toBe(true)
    // What KSeF received is the app's own document, byte for byte.
    const document = (await einvoiceDocument(t.deps, invoice.id))!
    expect(fake.state.received.map((r) => r.xml)).toContain(new TextDecoder().decode(document.xml))

    const page = await orderPage()
    expect(page).toContain(row.number!)
    expect(page).not.toContain('OFFLINE')
    const bytes = await pdf()
    expect(pdfText(bytes)).toContain(row.number!)
    expect(pdfText(bytes)).not.toContain('OFFLINE')
    // KOD I still encodes the link over the exact bytes sent.
    const link = await kodILink('test', t.config.vendor.taxId, field(new TextDecoder().decode(document.xml), 'P_1')[0]!, document.xml)
    expect(pdfQrCodes(bytes).flat()).toContain(link)
  })

  it('holds the paid order’s mail until KSeF numbered the invoice, an hour at most', async () => {
    const nip = t.config.vendor.taxId.replace(/^PL/, '')
    const channel = new KsefChannel({ apiBase: fake.url, token: TOKEN, nip }, { sleep: async () => {}, pollEveryMs: 0 }, 3)
    t.deps.einvoicing = { channel, document: einvoiceDocument }
    try {
      const heldMail = async (invoiceId: string) => (await t.db.select().from(outbox).where(eq(outbox.id, invoiceMailId(invoiceId))).get())!
      const buyer = await adminWithOrg(t, 'held-mail@example.com')
      const invoice = await paidInvoice(t, operator, (await orderFor(t, buyer, 'transfer')).id)
      expect((await heldMail(invoice.id)).template).toBe('order.paid')
      // The mail run finds it waiting.
      await runMail(t.deps, t.clock.now())
      expect((await heldMail(invoice.id)).status).toBe('pending')
      // KSeF gives the number: the mail goes with the next run, the number already on the invoice.
      await runEInvoices(t.deps, t.clock.now(), NO_LEASE)
      const number = (await t.db.select().from(einvoiceSubmissions).where(eq(einvoiceSubmissions.invoiceId, invoice.id)).get())!.number!
      await runMail(t.deps, t.clock.now())
      const sent = await heldMail(invoice.id)
      expect(sent.status).toBe('sent')
      expect(t.mailer.sent.filter((m) => m.to === buyer.org.billingEmail).map((m) => m.subject)).toContain(sent.subject)
      expect(pdfText(new Uint8Array(await (await buyer.b.get(`/o/${buyer.slug}/invoices/${invoice.id}`)).arrayBuffer()))).toContain(number)

      // With KSeF unreachable the mail waits an hour, then goes (the PDF then says OFFLINE).
      await fake.close()
      const late = await adminWithOrg(t, 'held-mail-late@example.com')
      const lateInvoice = await paidInvoice(t, operator, (await orderFor(t, late, 'transfer')).id)
      await runEInvoices(t.deps, t.clock.now(), NO_LEASE)
      await runMail(t.deps, t.clock.now())
      expect((await heldMail(lateInvoice.id)).status).toBe('pending')
      t.clock.advance(INVOICE_MAIL_HOLD + 1)
      await runMail(t.deps, t.clock.now())
      expect((await heldMail(lateInvoice.id)).status).toBe('sent')
    } finally {
      t.deps.einvoicing = undefined
    }
  })
})
