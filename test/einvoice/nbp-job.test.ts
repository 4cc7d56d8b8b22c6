// A Polish seller's invoices in euro through the app (issue 18, VAT in złoty): the demo catalog's
// Certified Platform is sold in euro, so a Polish company buying it pays Polish VAT in euro and its
// FA(3) must state that VAT in złoty at the NBP rate of the working day before the invoice's date.
// The einvoices job fetches that rate once from the fake NBP, stores it, and never sends the invoice
// without it: while the NBP is down the invoice waits; its PDF and XML then agree to the grosz.
import { afterAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { einvoiceSubmissions, exchangeRates } from '../../src/db/schema'
import { KsefChannel } from '../../src/einvoice/ksef/channel'
import { startFakeKsef } from '../../src/einvoice/ksef/fake-server'
import { startFakeNbp } from '../../src/einvoice/nbp/fake-server'
import { NbpClient } from '../../src/einvoice/nbp/client'
import { einvoiceDocument } from '../../src/einvoice/document'
import { sha256Base64 } from '../../src/einvoice/ksef/crypto'
import { formatMoney } from '../../src/i18n'
import { runEInvoices } from '../../src/jobs/einvoices'
import { NO_LEASE } from '../../src/jobs/runner'
import { MINUTE } from '../../src/clock'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { operatorWithAuthenticator } from '../helpers/operators'
import { orderFor } from '../helpers/orders'
import { pdfText } from '../helpers/pdf'
import { createUser } from '../helpers/users'
import { validate } from '../helpers/xsd'
import { field, paidInvoice } from './helpers'

// A Monday: the rate is Friday's (4 December 2026).
const t = await testApp({ now: '2026-12-07T10:00:00Z' })
await t.seedCatalog()
const operator = await createUser(t.deps, { email: 'nbp-operator@example.com', operator: true })
const TOKEN = 'kontor-nbp-test-token'
const NIP = t.config.vendor.taxId.replace(/^PL/, '')
const ksef = await startFakeKsef({ tokens: { [TOKEN]: NIP } })
const nbp = await startFakeNbp({ rates: { 'EUR 2026-12-04': 4.2175, 'EUR 2026-12-07': 4.3 } })
afterAll(() => Promise.all([ksef.close(), nbp.close()]))

const einvoicing = {
  channel: new KsefChannel({ apiBase: ksef.url, token: TOKEN, nip: NIP }, { sleep: async () => {}, pollEveryMs: 0 }, 3),
  document: einvoiceDocument,
  rates: new NbpClient(nbp.url),
}
const PLATFORM = { product: 'certified-platform', plan: 'base', period: 12, addons: {} } as const
const received = (number: string) => ksef.state.received.filter((r) => r.xml.includes(`<P_2>${number}</P_2>`)).map((r) => r.xml)
const submission = async (invoiceId: string) => (await t.db.select().from(einvoiceSubmissions).where(eq(einvoiceSubmissions.invoiceId, invoiceId)).get())!
const nbpAsked = () => nbp.state.requests.filter((r) => r.includes('/rates/a/eur/')).length

describe('VAT in złoty on a Polish seller’s invoices in euro', () => {
  it('is fetched once from the NBP by the job, never sent without, and printed on the PDF as in the XML', async () => {
    const buyers = [await adminWithOrg(t, 'eur-one@example.com'), await adminWithOrg(t, 'eur-two@example.com')]
    const invoices = []
    for (const buyer of buyers) invoices.push(await paidInvoice(t, operator, (await orderFor(t, buyer, 'transfer', PLATFORM)).id))
    const [first] = invoices
    const [one] = buyers
    // A PLN invoice and a reverse-charge one in euro (a German company) need no rate and go at once.
    const plnInvoice = await paidInvoice(t, operator, (await orderFor(t, await adminWithOrg(t, 'pln@example.com'), 'transfer')).id)
    const german = await adminWithOrg(t, 'eur-de@example.com', { country: 'DE' })
    const reverseCharge = await paidInvoice(t, operator, (await orderFor(t, german, 'transfer', PLATFORM)).id)

    // Before the rate is known the XML is not written: the download says why, the order page has no KOD I yet.
    const early = await one!.b.get(`/o/${one!.slug}/invoices/${first!.id}/xml`)
    expect(early.status).toBe(503)
    expect(early.headers.get('Retry-After')).toBe('300')
    expect(await early.text()).toBe('The e-invoice waits for the NBP exchange rate of 4 December 2026 to state its VAT in złoty. Try again in a few minutes.')
    const orderPage = await (await one!.b.get(`/o/${one!.slug}/orders/${first!.orderId}`)).text()
    expect(orderPage).not.toContain('ksef.mf.gov.pl/invoice/')
    // Nor a download link that would only answer 503: the page says what the e-invoice waits for.
    expect(orderPage).not.toContain(`/invoices/${first!.id}/xml`)
    expect(textOf(orderPage)).toContain('The e-invoice waits for the NBP exchange rate of 4 December 2026 to state its VAT in złoty.')
    expect(pdfText(new Uint8Array(await (await one!.b.get(`/o/${one!.slug}/invoices/${first!.id}`)).arrayBuffer()))).toContain('The VAT in złoty will be stated at the NBP average exchange rate of 4 December 2026.')

    // The NBP is down: the euro invoices wait (pending, retried), asked for once in the run; the others are sent.
    nbp.state.down = true
    const down = await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    nbp.state.down = false
    expect(down.counts).toMatchObject({ accepted: 2, waiting_for_rate: 2, failed: 0, rates_fetched: 0 })
    expect(down.errors).toEqual(["the NBP's EUR rate of 2026-12-04 is not known yet: the VAT in złoty can't be stated (the NBP answered 503 for EUR on 2026-12-04)"])
    expect(nbpAsked()).toBe(1)
    for (const invoice of invoices) {
      expect(received(invoice.number)).toEqual([])
      expect(await submission(invoice.id)).toMatchObject({ state: 'pending', documentHash: null, lastError: expect.stringContaining('the NBP answered 503 for EUR on 2026-12-04') })
    }
    // Operators see which rate they wait for and why.
    const { b: ops } = await operatorWithAuthenticator(t, 'nbp-ops@example.com')
    const listed = textOf(await (await ops.get('/ops/einvoices')).text())
    expect(listed).toContain("the NBP's EUR rate of 2026-12-04 is not known yet: the VAT in złoty can't be stated (the NBP answered 503 for EUR on 2026-12-04)")
    expect(listed).not.toContain('at document (')
    for (const invoice of [plnInvoice, reverseCharge]) {
      expect(received(invoice.number)).toHaveLength(1)
      expect(received(invoice.number)[0]).not.toMatch(/<P_14_\dW>|<KursWaluty>/)
    }

    // Once it answers, one request serves both invoices; the rate is kept and each invoice is sent once.
    t.clock.set(new Date(t.clock.now().getTime() + 2 * MINUTE))
    const up = await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    expect(up.counts).toMatchObject({ accepted: 2, waiting_for_rate: 0, failed: 0, rates_fetched: 1 })
    expect(nbpAsked()).toBe(2)
    expect(await t.db.select().from(exchangeRates)).toEqual([
      { currency: 'EUR', day: '2026-12-04', rate: '4.2175', tableNo: expect.stringMatching(/\/A\/NBP\/2026$/), effectiveDate: '2026-12-04', fetchedAt: t.clock.now() },
    ])
    for (const invoice of invoices) {
      const [xml] = received(invoice.number)
      expect(received(invoice.number)).toHaveLength(1)
      expect(validate(xml!, 'FA3')).toEqual({ ok: true, errors: '' })
      // 300.00 EUR net at 23 %: 69.00 EUR of VAT × 4.2175 = 291.0075 → 291.01 PLN.
      expect([field(xml!, 'KodWaluty'), field(xml!, 'P_14_1'), field(xml!, 'P_14_1W'), field(xml!, 'KursWaluty')]).toEqual([['EUR'], ['69.00'], ['291.01'], ['4.2175']])
      expect((await submission(invoice.id)).documentHash).toBe(await sha256Base64(new TextEncoder().encode(xml!)))
    }
    await runEInvoices(t.deps, new Date(t.clock.now().getTime() + 10 * MINUTE), NO_LEASE, einvoicing)
    expect(nbpAsked()).toBe(2)

    // The customer's download is the document sent; the PDF prints the same złoty VAT, the rate, its table and date.
    expect(await (await one!.b.get(`/o/${one!.slug}/orders/${first!.orderId}`)).text()).toContain(`/invoices/${first!.id}/xml`)
    const xml = await one!.b.get(`/o/${one!.slug}/invoices/${first!.id}/xml`)
    expect(xml.status).toBe(200)
    expect(await xml.text()).toBe(received(first!.number)[0])
    const pdf = pdfText(new Uint8Array(await (await one!.b.get(`/o/${one!.slug}/invoices/${first!.id}`)).arrayBuffer()))
    const rate = (await t.db.select().from(exchangeRates).get())!
    expect(pdf).toContain('VAT in złoty (art. 106e(11) of the Polish VAT Act)')
    expect(pdf).toContain(formatMoney('en', 29101, 'PLN').replace(/\s/g, ' '))
    expect(pdf).toContain(`Converted at the NBP average exchange rate of 4 December 2026, table ${rate.tableNo}: 1 EUR = 4.2175 PLN`)
    // And the order page has KOD I again, labelled with the KSeF number.
    const page = await (await one!.b.get(`/o/${one!.slug}/orders/${first!.orderId}`)).text()
    expect(page).toContain('https://qr-test.ksef.mf.gov.pl/invoice/')
    expect(textOf(page)).toContain((await submission(first!.id)).number!)
  })

  it('of an invoice issued on a Monday after a holiday weekend uses the last working day’s rate, found past a day without a table', async () => {
    // Tuesday 29 December 2026: the 28th (Monday) is a working day with no table at the fake NBP, so the 23rd's stands.
    nbp.state.rates['EUR 2026-12-23'] = 4.25
    t.clock.set('2026-12-29T09:00:00Z')
    const buyer = await adminWithOrg(t, 'eur-december@example.com')
    const invoice = await paidInvoice(t, operator, (await orderFor(t, buyer, 'card', PLATFORM)).id)
    await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    const [xml] = received(invoice.number)
    expect(validate(xml!, 'FA3')).toEqual({ ok: true, errors: '' })
    // 69.00 × 4.25 = 293.25.
    expect([field(xml!, 'P_1'), field(xml!, 'P_14_1W'), field(xml!, 'KursWaluty')]).toEqual([['2026-12-29'], ['293.25'], ['4.25']])
    expect(await t.db.select().from(exchangeRates).where(eq(exchangeRates.day, '2026-12-28'))).toMatchObject([{ rate: '4.25', effectiveDate: '2026-12-23' }])
    const pdf = pdfText(new Uint8Array(await (await buyer.b.get(`/o/${buyer.slug}/invoices/${invoice.id}`)).arrayBuffer()))
    expect(pdf).toContain('exchange rate of 23 December 2026')
  })
})
