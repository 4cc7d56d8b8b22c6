// An Italian private person's FatturaPA through the fake SdI intermediary, built by the app's own
// document builder: named by the codice fiscale given at checkout it goes through; an order placed
// before checkout asked is refused by SdI (00417), shown so to operators, and once the person has
// given their codice fiscale on the company data page, the re-issued file carries it and goes through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { loadConfig } from '../../src/config'
import { orders, orgs } from '../../src/db/schema'
import { einvoiceDocument } from '../../src/einvoice/document'
import { SdiChannel } from '../../src/einvoice/sdi/channel'
import { startFakeSdi, type FakeSdi } from '../../src/einvoice/sdi/fake-intermediary'
import { runEInvoices } from '../../src/jobs/einvoices'
import { testApp, textOf } from '../helpers/app'
import { operatorWithAuthenticator } from '../helpers/operators'
import { adminWithOrg } from '../helpers/orgs'
import { orderFor } from '../helpers/orders'
import { createUser } from '../helpers/users'
import { field, paidInvoice } from './helpers'
import { submissionOf } from './world'

const API_KEY = 'sdi-cf-api-key'
const SECRET = 'sdi-cf-webhook-secret-of-32-characters!'
const vendor = loadConfig({ KONTOR_ENV: 'test', VENDOR_COUNTRY: 'IT', VENDOR_TIME_ZONE: 'Europe/Rome' }).vendor
const t = await testApp({ now: '2026-11-20T10:00:00Z', config: { vendor } })
await t.seedCatalog()
const operator = await createUser(t.deps, { email: 'cf-sdi-operator@example.com', operator: true })
let fake: FakeSdi

beforeAll(async () => {
  const post = async (body: string, headers: Record<string, string>): Promise<Response> => t.app.request('/webhooks/sdi', { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } })
  fake = await startFakeSdi({ apiKey: API_KEY, webhookSecret: SECRET, deliver: post, now: () => t.clock.now() })
  t.deps.einvoicing = { channel: new SdiChannel({ apiBase: fake.url, apiKey: API_KEY, webhookSecret: SECRET }), document: einvoiceDocument }
})
afterAll(() => fake.close())

describe('an Italian private person’s FatturaPA at SdI', () => {
  it('goes through named by the codice fiscale; an order from before checkout asked is refused (00417) until the person gives it and an operator re-issues it', async () => {
    const named = await adminWithOrg(t, 'cf-named@example.it', { country: 'IT', legalForm: 'person', codiceFiscale: 'RSSMRA85T10A562S' })
    const namedInvoice = await paidInvoice(t, operator, (await orderFor(t, named, 'transfer')).id)

    const old = await adminWithOrg(t, 'cf-old@example.it', { country: 'IT', legalForm: 'person', codiceFiscale: 'MRTMTT25D09F205Z' })
    const { id: oldOrder } = await orderFor(t, old, 'transfer')
    // The state of an order placed before checkout asked: no codiceFiscale in its snapshot, none on the org.
    const { codiceFiscale: _, ...billing } = (await t.db.select().from(orders).where(eq(orders.id, oldOrder)).get())!.billing
    await t.db.update(orders).set({ billing }).where(eq(orders.id, oldOrder))
    await t.db.update(orgs).set({ codiceFiscale: null }).where(eq(orgs.id, old.org.id))
    const oldInvoice = await paidInvoice(t, operator, oldOrder)

    expect((await runEInvoices(t.deps, t.clock.now())).counts).toMatchObject({ claimed: 2, sent: 2 })
    // One file each, in whichever order the job sent them.
    expect(fake.state.files.map((f) => field(f.xml, 'CodiceFiscale')).sort()).toEqual([[], ['RSSMRA85T10A562S']])
    await fake.flush()
    // 0000000 without a PEC: SdI can't deliver it, the invoice is issued and waits in the person's area.
    expect(await submissionOf(t, namedInvoice.id)).toMatchObject({ state: 'accepted', note: expect.stringMatching(/^MC:/) })
    expect(await submissionOf(t, oldInvoice.id)).toMatchObject({ state: 'rejected', reasons: ['NS', expect.stringMatching(/^00417: 1\.4\.1\.1 <IdFiscaleIVA> e 1\.4\.1\.2 <CodiceFiscale> non valorizzati/)] })

    const { b: ops } = await operatorWithAuthenticator(t, 'cf-ops@example.com')
    expect(textOf(await (await ops.get('/ops/einvoices')).text())).toContain(`${oldInvoice.number} Org of cf-old@example.it refused`)

    // The person gives it on the company data page; the operator re-issues; the job builds the file again.
    const org = (await t.db.select().from(orgs).where(eq(orgs.id, old.org.id)).get())!
    const saved = await old.b.post(`/o/${old.slug}/settings/company`, {
      name: org.name, country: 'IT', legalForm: 'person', taxId: '', addressLine: org.addressLine, postalCode: org.postalCode,
      city: org.city, billingEmail: org.billingEmail, einvoiceId: '', codiceFiscale: 'MRTMTT25D09F205Z',
    })
    expect(saved.status).toBe(303)
    expect((await ops.post(`/ops/einvoices/${oldInvoice.id}/reissue`, {})).status).toBe(303)
    expect((await runEInvoices(t.deps, t.clock.now())).counts).toMatchObject({ claimed: 1, sent: 1 })
    expect(field(fake.state.files.at(-1)!.xml, 'CodiceFiscale')).toEqual(['MRTMTT25D09F205Z'])
    await fake.flush()
    // The note keeps SdI's earlier refusal above the new outcome.
    expect(await submissionOf(t, oldInvoice.id)).toMatchObject({ state: 'accepted', note: expect.stringMatching(/^re-issued after a rejection: .*00417.*\nMC: issued but not delivered/s) })
  })
})
