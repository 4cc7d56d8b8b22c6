// A Polish seller's invoices as the app issues them (checkout, upgrades, add-on packs, renewals,
// e-code units; each buyer kind and VAT case): every FA(3) validates against the official schema,
// its amounts are the order's and the PDF's to the cent, the PDF carries KOD I over the exact
// bytes, and the XML is downloadable beside the PDF by the org's administrators only.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { orgs } from '../../src/db/schema'
import { runNamedJob } from '../../src/jobs'
import { DAY } from '../../src/clock'
import { kodILink } from '../../src/einvoice/kod1'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg, DE_VAT } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { pdfQrCodes } from '../helpers/pdf'
import { createUser, PASSWORD } from '../helpers/users'
import { validate } from '../helpers/xsd'
import { storeRate } from '../../src/services/exchange-rates'
import { roundHalfUp } from '../../src/domain/money'
import { formatMoney } from '../../src/i18n'
import { expectPrinted, field, issued, minor, newestOrder, paidInvoice } from './helpers'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const operator = await createUser(t.deps, { email: 'einvoice-operator@example.com', operator: true })

type Buyer = Awaited<ReturnType<typeof adminWithOrg>>

/** Validates the FA(3), checks its totals against the order and the PDF, and returns the parts for more checks. */
async function checked(buyer: Buyer, invoiceId: string) {
  const r = await issued(t, invoiceId, buyer.b, buyer.slug)
  expect(r.document.format).toBe('FA3')
  expect(validate(r.document.xml, 'FA3')).toEqual({ ok: true, errors: '' })
  const { xml, order } = r
  expect(field(xml, 'P_2')).toEqual([(await t.db.query.invoices.findFirst({ where: (i, { eq }) => eq(i.id, invoiceId) }))!.number])
  expect(field(xml, 'KodWaluty')).toEqual([order.currency])
  expect(minor(field(xml, 'P_15')[0]!)).toBe(order.grossMinor)
  const nets = [...xml.matchAll(/<P_13_(?:\d|9)>([^<]*)</g)].map((m) => minor(m[1]!))
  const vats = [...xml.matchAll(/<P_14_\d>([^<]*)</g)].map((m) => minor(m[1]!))
  expect(nets.reduce((a, b) => a + b, 0)).toBe(order.netMinor)
  expect(vats.reduce((a, b) => a + b, 0)).toBe(order.vatMinor)
  expect(field(xml, 'P_11').map(minor).reduce((a, b) => a + b, 0)).toBe(order.netMinor)
  expectPrinted(r.pdfText, [...field(xml, 'P_15'), ...[...xml.matchAll(/<P_1[34]_\d+>([^<]*)</g)].map((m) => m[1]!), ...field(xml, 'P_11')], order.currency)
  return r
}

describe('FA(3) e-invoices of a Polish seller, through the app’s flows', () => {
  it('a Polish company buying a plan by card: its NIP, 23 %, the sums of the PDF; the PDF’s KOD I decodes to the link over the exact XML, labelled OFFLINE', async () => {
    const buyer = await adminWithOrg(t, 'pl-company@example.com')
    const { id } = await orderFor(t, buyer, 'card')
    const invoice = await paidInvoice(t, operator, id)
    const { xml, document, pdf, pdfText } = await checked(buyer, invoice.id)
    expect(field(xml, 'NIP')).toEqual(['5260250274', buyer.org.taxId!.slice(2)])
    expect([field(xml, 'P_12'), field(xml, 'P_13_1'), field(xml, 'P_14_1'), field(xml, 'P_15'), field(xml, 'P_18')]).toEqual([['23'], ['290.00'], ['66.70'], ['356.70'], ['2']])
    expect(field(xml, 'P_1')).toEqual(['2026-11-20'])
    const link = await kodILink('test', 'PL5260250274', '2026-11-20', document.xml)
    expect(link).toMatch(/^https:\/\/qr-test\.ksef\.mf\.gov\.pl\/invoice\/5260250274\/20-11-2026\/[A-Za-z0-9_-]{43}$/)
    expect(pdfQrCodes(pdf)).toEqual([[link]])
    expect(pdfText).toContain('OFFLINE')
    expect(pdfText).toContain('KSeF')
  })

  it('an EU company (Germany) under reverse charge: KodUE/NrVatUE, np II, P_13_9, P_18 = 1, no VAT anywhere', async () => {
    const buyer = await adminWithOrg(t, 'de-company@example.com', { country: 'DE' })
    const { id } = await orderFor(t, buyer, 'transfer')
    const { xml } = await checked(buyer, (await paidInvoice(t, operator, id)).id)
    expect([field(xml, 'KodUE'), field(xml, 'NrVatUE'), field(xml, 'P_12'), field(xml, 'P_13_9'), field(xml, 'P_18'), field(xml, 'FormaPlatnosci')]).toEqual([
      ['DE'], [DE_VAT], ['np II'], ['290.00'], ['1'], ['6'],
    ])
    expect(xml).not.toMatch(/<P_14_/)
  })

  it('a private person: BrakID, Polish VAT; one in Italy pays the Italian rate under the one-stop shop (P_12_XII, P_13_5/P_14_5)', async () => {
    const home = await adminWithOrg(t, 'pl-person@example.com', { legalForm: 'person' })
    const homeXml = (await checked(home, (await paidInvoice(t, operator, (await orderFor(t, home, 'transfer')).id)).id)).xml
    expect([field(homeXml, 'BrakID'), field(homeXml, 'P_13_1'), field(homeXml, 'P_14_1')]).toEqual([['1'], ['290.00'], ['66.70']])
    const italian = await adminWithOrg(t, 'it-person@example.com', { legalForm: 'person', country: 'IT' })
    const ossXml = (await checked(italian, (await paidInvoice(t, operator, (await orderFor(t, italian, 'transfer')).id)).id)).xml
    expect([field(ossXml, 'BrakID'), field(ossXml, 'P_12_XII'), field(ossXml, 'P_13_5'), field(ossXml, 'P_14_5'), field(ossXml, 'KodKraju')]).toEqual([['1'], ['22.00'], ['290.00'], ['63.80'], ['PL', 'IT']])
  })

  it('a buyer outside the EU (an org whose country became the US): its country in the address, BrakID, Polish VAT as the PDF charges it', async () => {
    const buyer = await adminWithOrg(t, 'us-person@example.com', { legalForm: 'person' })
    await t.db.update(orgs).set({ country: 'US', postalCode: '10001', city: 'New York' }).where(eq(orgs.id, buyer.org.id))
    const { id } = await orderFor(t, { ...buyer, org: { ...buyer.org, country: 'US' } }, 'transfer')
    const { xml } = await checked(buyer, (await paidInvoice(t, operator, id)).id)
    expect([field(xml, 'BrakID'), field(xml, 'KodKraju'), field(xml, 'P_12')]).toEqual([['1'], ['PL', 'US'], ['23']])
  })

  it('an upgrade for the rest of the period, an add-on pack in euro, e-code units: each a valid FA(3) with the order’s amounts', async () => {
    const buyer = await adminWithOrg(t, 'upgrades@example.com')
    await paidInvoice(t, operator, (await orderFor(t, buyer, 'transfer')).id)
    const upgrade = await buyer.b.post(`/o/${buyer.slug}/products/sekretariat/plan/upgrade-orders`, { from: 'silver', plan: 'gold', method: 'transfer', terms: 'on' })
    expect(upgrade.status).toBe(303)
    const change = await newestOrder(t, buyer.org.id, 'plan_change')
    const changeXml = (await checked(buyer, (await paidInvoice(t, operator, change.id)).id)).xml
    expect(field(changeXml, 'P_7')[0]).toContain('Gold')

    await paidInvoice(t, operator, (await orderFor(t, buyer, 'transfer', { product: 'certified-platform', plan: 'base', period: 12, addons: {} })).id)
    const packs = await buyer.b.post(`/o/${buyer.slug}/products/certified-platform/plan/addon-orders`, { from: 'base', 'packs.users': '5', method: 'transfer', terms: 'on' })
    expect(packs.status).toBe(303)
    const addons = await newestOrder(t, buyer.org.id, 'addons')
    // In euro with Polish VAT: its VAT in złoty at the NBP rate of the day before (the einvoices job fetches it: nbp-job.test.ts).
    await storeRate(t.db, { currency: 'EUR', day: '2026-11-19', rate: '4.2305', tableNo: '224/A/NBP/2026', effectiveDate: '2026-11-19' }, t.clock.now())
    const addon = await checked(buyer, (await paidInvoice(t, operator, addons.id)).id)
    const addonXml = addon.xml
    expect(field(addonXml, 'KodWaluty')).toEqual(['EUR'])
    const inPln = roundHalfUp(minor(field(addonXml, 'P_14_1')[0]!) * 42305, 10_000)
    expect([field(addonXml, 'P_14_1W').map(minor), field(addonXml, 'KursWaluty')[0]]).toEqual([[inPln], '4.2305'])
    expect(addon.pdfText).toContain(formatMoney('en', inPln, 'PLN').replace(/\s/g, ' '))

    const units = await orderFor(t, buyer, 'transfer', { product: 'simplysign', variant: 'signature-1y', quantity: 3 })
    const unitsXml = (await checked(buyer, (await paidInvoice(t, operator, units.id)).id)).xml
    expect(field(unitsXml, 'P_8B')).toEqual(['3'])
    expect(minor(field(unitsXml, 'P_11')[0]!)).toBe(3 * minor(field(unitsXml, 'P_9A')[0]!))
  })

  it('a renewal placed by the job and paid by transfer: a valid FA(3) dated the day it was paid', async () => {
    const buyer = await adminWithOrg(t, 'renewal@example.com')
    await paidInvoice(t, operator, (await orderFor(t, buyer, 'transfer')).id)
    const due = new Date(new Date('2027-11-20T10:00:00Z').getTime() - 14 * DAY)
    t.clock.set(due)
    try {
      expect((await runNamedJob(t.deps, 'renewals', due)).status).toBe('ok')
      const renewal = await newestOrder(t, buyer.org.id, 'renewal')
      const invoice = await paidInvoice(t, operator, renewal.id)
      // A year on, the session has ended: the administrator signs in again to download.
      await buyer.b.post('/login', { email: 'renewal@example.com', password: PASSWORD })
      const { xml } = await checked(buyer, invoice.id)
      expect([field(xml, 'P_1'), field(xml, 'P_15'), field(xml, 'DataZaplaty'), field(xml, 'P_2')]).toEqual([['2027-11-06'], ['356.70'], ['2027-11-06'], [invoice.number]])
      expect(invoice.number).toMatch(/^FV\/2027\//)
    } finally {
      t.clock.set('2026-11-20T10:00:00Z')
    }
  })

  it('customers download the XML beside the PDF: the same bytes the transport gets; the order page links it and shows KOD I OFFLINE; another org’s administrator gets 404', async () => {
    const buyer = await adminWithOrg(t, 'download@example.com')
    const { id } = await orderFor(t, buyer, 'card')
    const invoice = await paidInvoice(t, operator, id)
    const { document } = await issued(t, invoice.id, buyer.b, buyer.slug)
    const res = await buyer.b.get(`/o/${buyer.slug}/invoices/${invoice.id}/xml`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/xml; charset=utf-8')
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="${invoice.number.replaceAll('/', '-')}.xml"`)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(document.xml)

    const page = await (await buyer.b.get(`/o/${buyer.slug}/orders/${id}`)).text()
    expect(page).toContain(`href="/o/${buyer.slug}/invoices/${invoice.id}/xml"`)
    expect(textOf(page)).toContain('Download the e-invoice (FA(3) XML)')
    expect(textOf(page)).toMatch(/OFFLINE\s*KSeF has not assigned this invoice a number yet\./)
    expect(page).toContain(`href="${await kodILink('test', 'PL5260250274', field(new TextDecoder().decode(document.xml), 'P_1')[0]!, document.xml)}"`)

    const other = await adminWithOrg(t, 'other-org@example.com')
    expect((await other.b.get(`/o/${other.slug}/invoices/${invoice.id}/xml`)).status).toBe(404)
    expect((await other.b.get(`/o/${buyer.slug}/invoices/${invoice.id}/xml`)).status).toBe(404)
    expect((await t.browser().get(`/o/${buyer.slug}/invoices/${invoice.id}/xml`)).status).not.toBe(200)
  })
})
