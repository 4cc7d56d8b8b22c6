// KOD II on the invoices that need it (issue 18 item 6): an offline invoice — one a try found KSeF
// down for, or one issued during a failure operators declared — carries KOD II beside KOD I on the
// order page and the PDF, when the Offline certificate is configured; an online one never does.
import { createPublicKey, generateKeyPairSync, verify, constants } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { einvoiceSubmissions } from '../../src/db/schema'
import { KsefChannel } from '../../src/einvoice/ksef/channel'
import { startFakeKsef } from '../../src/einvoice/ksef/fake-server'
import { einvoiceDocument } from '../../src/einvoice/document'
import { kodILink } from '../../src/einvoice/kod1'
import { parseOfflineKey } from '../../src/einvoice/kod2'
import { runEInvoices } from '../../src/jobs/einvoices'
import { NO_LEASE } from '../../src/jobs/runner'
import { declareKsefFailure } from '../../src/services/ksef-failures'
import { operatorActor } from '../../src/db/history'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { pdfQrCodes, pdfText } from '../helpers/pdf'
import { createUser } from '../helpers/users'
import { field, paidInvoice } from './helpers'

const TOKEN = 'kontor-kod2-test-token'
const SERIAL = '01F20A5D352AE590'
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })

const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { ksefOffline: { serial: SERIAL, key: parseOfflineKey(rsa.privateKey) } } })
await t.seedCatalog()
const operator = await createUser(t.deps, { email: 'kod2-operator@example.com', operator: true })
const nip = t.config.vendor.taxId.replace(/^PL/, '')
const fake = await startFakeKsef({ tokens: { [TOKEN]: nip } })
afterAll(() => fake.close())
const einvoicing = { channel: new KsefChannel({ apiBase: fake.url, token: TOKEN, nip }, { sleep: async () => {}, pollEveryMs: 0 }, 3), document: einvoiceDocument }
const run = () => runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)

async function bought(email: string) {
  const buyer = await adminWithOrg(t, email)
  const order = await orderFor(t, buyer, 'transfer')
  const invoice = await paidInvoice(t, operator, order.id)
  return {
    invoice,
    page: async () => textOf(await (await buyer.b.get(`/o/${buyer.slug}/orders/${order.id}`)).text()),
    html: async () => (await buyer.b.get(`/o/${buyer.slug}/orders/${order.id}`)).text(),
    pdf: async () => new Uint8Array(await (await buyer.b.get(`/o/${buyer.slug}/invoices/${invoice.id}`)).arrayBuffer()),
  }
}

/** KOD I of the invoice, over the exact bytes of its e-invoice. */
async function kodIOf(invoiceId: string) {
  const document = (await einvoiceDocument(t.deps, invoiceId))!
  return kodILink('test', t.config.vendor.taxId, field(new TextDecoder().decode(document.xml), 'P_1')[0]!, document.xml)
}

const submission = async (invoiceId: string) => (await t.db.select().from(einvoiceSubmissions).where(eq(einvoiceSubmissions.invoiceId, invoiceId)).get())!

/** The KOD II link among the links, checked against the certificate's RSA public key and KOD I's hash. */
function checkedKodII(links: string[], kodI: string): string {
  const link = links.find((l) => l.includes('/certificate/'))
  expect(link).toBeDefined()
  const signed = link!.slice('https://'.length, link!.lastIndexOf('/'))
  expect(signed).toBe(`qr-test.ksef.mf.gov.pl/certificate/Nip/${nip}/${nip}/${SERIAL}/${kodI.split('/').at(-1)}`)
  const signature = Buffer.from(link!.slice(link!.lastIndexOf('/') + 1), 'base64url')
  expect(verify('sha256', Buffer.from(signed), { key: createPublicKey(rsa.publicKey), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)).toBe(true)
  return link!
}

describe('KOD II', () => {
  it('is not on an online invoice: neither while it waits for its number nor once KSeF accepted it', async () => {
    const b = await bought('kod2-online@example.com')
    expect(await b.page()).toContain('OFFLINE')
    expect(await b.page()).not.toContain('CERTYFIKAT')
    expect((await run()).counts).toMatchObject({ accepted: 1, offline: 0 })
    expect(fake.state.received.at(-1)!.offlineMode).toBe(false)
    expect(await b.page()).not.toContain('CERTYFIKAT')
    const bytes = await b.pdf()
    expect(pdfText(bytes)).not.toContain('CERTYFIKAT')
    expect(pdfQrCodes(bytes).flat()).toEqual([await kodIOf(b.invoice.id)])
  })

  it('is on an invoice a try found KSeF down for, beside KOD I, and stays once KSeF accepted it with offlineMode', async () => {
    const b = await bought('kod2-down@example.com')
    fake.state.down = true
    try {
      expect((await run()).counts).toMatchObject({ offline: 1 })
    } finally {
      fake.state.down = false
    }
    expect(await submission(b.invoice.id)).toMatchObject({ state: 'offline', offlineMode: true })
    const kodI = await kodIOf(b.invoice.id)
    const page = await b.page()
    expect(page).toContain('OFFLINE')
    expect(page).toContain('CERTYFIKAT')
    const hrefs = [...(await b.html()).matchAll(/href="(https:\/\/qr-test[^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'))
    expect(hrefs[0]).toBe(kodI)
    checkedKodII(hrefs, kodI)
    // The PDF's codes, as a phone reads them: KOD I and KOD II, labelled OFFLINE and CERTYFIKAT.
    let bytes = await b.pdf()
    expect(pdfText(bytes)).toMatch(/OFFLINE.*CERTYFIKAT/)
    const codes = pdfQrCodes(bytes).flat()
    expect(codes).toHaveLength(2)
    expect(codes).toContain(kodI)
    checkedKodII(codes, kodI)

    t.clock.advance(10 * 60_000)
    expect((await run()).counts).toMatchObject({ accepted: 1 })
    expect(fake.state.received.at(-1)!.offlineMode).toBe(true)
    const row = await submission(b.invoice.id)
    expect(row).toMatchObject({ state: 'accepted', offlineMode: true })
    bytes = await b.pdf()
    expect(pdfText(bytes)).toContain(row.number!)
    expect(pdfText(bytes)).toContain('CERTYFIKAT')
    checkedKodII(pdfQrCodes(bytes).flat(), kodI)
  })

  it('is on an invoice issued during a declared failure even before the job saw it; the job then sends it offline', async () => {
    const declared = await declareKsefFailure(t.db, operatorActor({ id: operator.id, name: 'Operator', email: 'kod2-operator@example.com' }), { from: new Date(t.clock.now().getTime() - 60_000), until: null }, t.clock.now())
    expect(declared.ok).toBe(true)
    const b = await bought('kod2-declared@example.com')
    expect(await submission(b.invoice.id)).toBeUndefined()
    expect(await b.page()).toContain('CERTYFIKAT')
    expect((await run()).counts).toMatchObject({ declared_offline: 1, accepted: 1 })
    expect(fake.state.received.at(-1)!.offlineMode).toBe(true)
    expect(await submission(b.invoice.id)).toMatchObject({ state: 'accepted', offlineMode: true })
    expect(pdfQrCodes(await b.pdf()).flat()).toHaveLength(2)
  })

  // Still within the failure declared above: every invoice bought now is an offline one.
  it('signs with an ECDSA P-256 key too; without the Offline certificate an offline invoice carries KOD I alone', async () => {
    const saved = t.config.ksefOffline
    try {
      t.config.ksefOffline = { serial: 'ABC123', key: parseOfflineKey(ec.privateKey) }
      const b = await bought('kod2-ec@example.com')
      const html = await b.html()
      const link = /href="(https:\/\/qr-test[^"]+\/certificate\/[^"]+)"/.exec(html)![1]!
      const signed = link.slice('https://'.length, link.lastIndexOf('/'))
      expect(verify('sha256', Buffer.from(signed), { key: createPublicKey(ec.publicKey), dsaEncoding: 'ieee-p1363' }, Buffer.from(link.slice(link.lastIndexOf('/') + 1), 'base64url'))).toBe(true)
      t.config.ksefOffline = null
      expect(await b.page()).not.toContain('CERTYFIKAT')
      expect(pdfQrCodes(await b.pdf()).flat()).toEqual([await kodIOf(b.invoice.id)])
    } finally {
      t.config.ksefOffline = saved
    }
  })
})
