// SdI through the fake intermediary: the einvoices job sends FatturaPA files, and the signed
// webhook's notifications — RC delivered, MC not deliverable, NS rejected with SdI's errors — show
// on the invoice's submission; forged, tampered, stale and replayed notifications change nothing.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { einvoiceNotifications } from '../../src/db/schema'
import type { EInvoiceDocument } from '../../src/einvoice/channel'
import { SdiChannel } from '../../src/einvoice/sdi/channel'
import { startFakeSdi, type FakeSdi } from '../../src/einvoice/sdi/fake-intermediary'
import { signatureHeader, SIGNATURE_HEADER } from '../../src/einvoice/sdi/webhook'
import { runEInvoices } from '../../src/jobs/einvoices'
import { testApp, type TestApp } from '../helpers/app'
import { paidInvoices, submissionOf } from './world'

const SAMPLE = readFileSync(join(import.meta.dirname, 'fixtures/IT01234567890_FPR01.xml'), 'utf8')
const API_KEY = 'sdi-test-api-key'
const SECRET = 'sdi-test-webhook-secret-of-32-characters'

let t: TestApp
let fake: FakeSdi
let ids: string[]
/** What each invoice's document holds: an ordinary B2B invoice, one for a buyer with no channel, a broken one. */
const variants: Record<string, (xml: string) => string> = {}

function fpr12(invoiceId: string, number: string): EInvoiceDocument {
  const xml = (variants[invoiceId] ?? ((x) => x))(SAMPLE.replace('<Numero>123</Numero>', `<Numero>${number}</Numero>`))
  return { format: 'FPR12', fileName: `IT01234567890_${number.slice(-5)}.xml`, xml: new TextEncoder().encode(xml) }
}

const post = async (body: string, headers: Record<string, string>): Promise<Response> => t.app.request('/webhooks/sdi', { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } })

beforeAll(async () => {
  t = await testApp()
  fake = await startFakeSdi({ apiKey: API_KEY, webhookSecret: SECRET, deliver: post, now: () => t.clock.now() })
  t.deps.einvoicing = {
    channel: new SdiChannel({ apiBase: fake.url, apiKey: API_KEY, webhookSecret: SECRET }),
    document: async (_deps, invoiceId) => fpr12(invoiceId, `2026${String(ids.indexOf(invoiceId)).padStart(5, '0')}`),
  }
  ids = await paidInvoices(t, 3, 'sdi')
  variants[ids[1]!] = (xml) => xml.replace('<CodiceDestinatario>ABC1234</CodiceDestinatario>', '<CodiceDestinatario>0000000</CodiceDestinatario>')
  variants[ids[2]!] = (xml) => xml.replace(/<Data>[^<]*<\/Data>/, '<Data>07/12/2026</Data>')
})
afterAll(() => fake.close())

describe('SdI through the intermediary', () => {
  it('sends each file and waits for SdI’s notifications', async () => {
    const report = await runEInvoices(t.deps, t.clock.now())
    expect(report.counts).toMatchObject({ claimed: 3, sent: 3 })
    for (const id of ids) expect(await submissionOf(t, id)).toMatchObject({ channel: 'sdi', state: 'sent', transportRef: expect.stringMatching(/^sdi_/) })
    expect(fake.state.files).toHaveLength(3)
    // Nothing to ask: the outcome comes by webhook.
    expect((await runEInvoices(t.deps, t.clock.now())).counts).toMatchObject({ checked: 0, claimed: 0 })
  })

  it('reflects RC, MC and NS on the invoices', async () => {
    const deliveries = await fake.flush()
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200])
    const [rc, mc, ns] = await Promise.all(ids.map((id) => submissionOf(t, id)))
    expect(rc).toMatchObject({ state: 'accepted', number: expect.stringMatching(/^\d+$/), note: expect.stringMatching(/^RC: delivered to the buyer/) })
    expect(mc).toMatchObject({ state: 'accepted', note: expect.stringMatching(/^MC: issued but not delivered .*reserved area/) })
    expect(ns!.state).toBe('rejected')
    expect(ns!.reasons![0]).toBe('NS')
    expect(ns!.reasons![1]).toMatch(/^00200: File non conforme al formato: .*Data.*07\/12\/2026/)
  })

  it('ignores a replayed notification: the same id changes nothing a second time', async () => {
    const first = fake.state.deliveries[0]!
    const rows = await Promise.all(ids.map((id) => submissionOf(t, id)))
    const before = rows.find((r) => r.transportRef === JSON.parse(first.body).invoice)!
    const res = await post(first.body, first.headers)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ received: true, result: 'duplicate' })
    // Its note would say RC (or MC) twice had it been applied again.
    expect(await submissionOf(t, before.invoiceId)).toEqual(before)
    expect(await t.db.select().from(einvoiceNotifications).all()).toHaveLength(3)
  })

  it('refuses forged, tampered and stale notifications, and changes nothing', async () => {
    const target = ids[0]!
    const before = await submissionOf(t, target)
    const ns = JSON.stringify({ id: 'ntf_forged', type: 'NE', outcome: 'EC02', invoice: before.transportRef, description: 'forged refusal' })
    const at = Math.floor(t.clock.now().getTime() / 1000)
    const forged = await post(ns, { [SIGNATURE_HEADER]: await signatureHeader('not-the-secret-not-the-secret-xx', at, ns) })
    expect(forged.status).toBe(400)
    expect(await forged.json()).toEqual({ error: 'invalid_signature' })
    // A genuine signature over another body: the same notification under a new id, as a replay would need.
    const genuine = fake.state.deliveries[0]!
    const altered = genuine.body.replace('"id":"ntf_', '"id":"ntf_again_')
    expect(altered).not.toBe(genuine.body)
    const tampered = await post(altered, genuine.headers)
    expect(tampered.status).toBe(400)
    // A genuine signature, captured and sent again ten minutes later.
    const stale = await post(ns, { [SIGNATURE_HEADER]: await signatureHeader(SECRET, at - 600, ns) })
    expect(stale.status).toBe(400)
    expect(await stale.json()).toEqual({ error: 'stale_timestamp' })
    expect(await post(ns, {}).then((r) => r.status)).toBe(400)
    expect(await submissionOf(t, target)).toEqual(before)
  })

  it('answers 404 for a file it has not recorded, and 400 for a notification that is not one', async () => {
    const at = Math.floor(t.clock.now().getTime() / 1000)
    const unknown = JSON.stringify({ id: 'ntf_unknown', type: 'RC', invoice: 'sdi_not_ours' })
    expect((await post(unknown, { [SIGNATURE_HEADER]: await signatureHeader(SECRET, at, unknown) })).status).toBe(404)
    const wrong = JSON.stringify({ id: 'ntf_wrong', type: 'XX', invoice: 'sdi_x' })
    const res = await post(wrong, { [SIGNATURE_HEADER]: await signatureHeader(SECRET, at, wrong) })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid_notification' })
  })

  it('is not there when SdI is not the channel', async () => {
    const other = await testApp()
    expect((await other.app.request('/webhooks/sdi', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(404)
  })
})
