// The einvoices job against the fake KSeF: invoices get their KSeF numbers and UPOs in the
// database, a 440 duplicate is reconciled, a 450 is shown with its reasons and re-issued once
// corrected, and after KSeF was down for an hour every invoice is sent exactly once even with two
// runs at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { einvoiceSubmissions, invoices } from '../../src/db/schema'
import { KsefChannel } from '../../src/einvoice/ksef/channel'
import { isKsefNumber } from '../../src/einvoice/ksef/number'
import { sha256Base64 } from '../../src/einvoice/ksef/crypto'
import { startFakeKsef, type FakeKsef } from '../../src/einvoice/ksef/fake-server'
import { runEInvoices } from '../../src/jobs/einvoices'
import { runNamedJob } from '../../src/jobs'
import { NO_LEASE } from '../../src/jobs/runner'
import { reissueSubmission } from '../../src/services/einvoices'
import { MINUTE } from '../../src/clock'
import { formatDateTime } from '../../src/i18n'
import { offlineDeadline } from '../../src/einvoice/ksef/offline'
import { testApp, textOf } from '../helpers/app'
import { operatorWithAuthenticator } from '../helpers/operators'
import { adminWithOrg } from '../helpers/orgs'
import { fa3Document } from './fixtures/fa3'
import { paidInvoices, sampleBuilder, SELLER_NIP, submissionOf } from './world'

const TOKEN = 'kontor-job-test-token'
let fake: FakeKsef
// A fresh KSeF per test: every test app numbers its invoices from FV/2026/000001.
beforeEach(async () => {
  fake = await startFakeKsef({ tokens: { [TOKEN]: SELLER_NIP } })
})
afterEach(() => fake.close())

const channel = (polls = 3) => new KsefChannel({ apiBase: fake.url, token: TOKEN, nip: SELLER_NIP }, { sleep: async () => {}, pollEveryMs: 0 }, polls)
/** How many times the fake decrypted an invoice with this number. */
const copiesOf = (number: string) => fake.state.received.filter((r) => r.xml.includes(`<P_2>${number}</P_2>`)).length
const numberOf = async (t: Awaited<ReturnType<typeof testApp>>, id: string) => (await t.db.select().from(invoices).where(eq(invoices.id, id)).get())!.number

describe('the einvoices job with KSeF', () => {
  it('sends each invoice once and stores its KSeF number, UPO and document hash', async () => {
    const t = await testApp()
    const ids = await paidInvoices(t, 3, 'flow')
    const document = sampleBuilder()
    const einvoicing = { channel: channel(), document }

    const report = await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    expect(report).toEqual({ counts: expect.objectContaining({ discovered: 3, claimed: 3, accepted: 3, offline: 0, rejected: 0 }), errors: [] })
    for (const id of ids) {
      const row = await submissionOf(t, id)
      expect(row).toMatchObject({ channel: 'ksef', state: 'accepted', attempts: 1, reasons: null })
      expect(isKsefNumber(row.number!)).toBe(true)
      expect(row.receipt).toContain(`<NumerKSeFDokumentu>${row.number}</NumerKSeFDokumentu>`)
      const doc = await document(t.deps, id)
      expect(row.documentHash).toBe(await sha256Base64(doc!.xml))
      expect(copiesOf(await numberOf(t, id))).toBe(1)
      const sentAs = `<P_2>${await numberOf(t, id)}</P_2>`
      expect(fake.state.received.find((r) => r.xml.includes(sentAs))!.offlineMode).toBe(false)
    }
    // A second run finds nothing to send.
    const again = await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    expect(again.counts).toMatchObject({ discovered: 0, claimed: 0, checked: 0 })
    for (const id of ids) expect(copiesOf(await numberOf(t, id))).toBe(1)
  })

  it('keeps an invoice KSeF is still processing as sent, and takes its number on a later run', async () => {
    const t = await testApp()
    const [id] = await paidInvoices(t, 1, 'slow')
    const einvoicing = { channel: channel(2), document: sampleBuilder() }
    fake.state.processingPolls = 3
    try {
      await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    } finally {
      fake.state.processingPolls = 0
    }
    const sent = await submissionOf(t, id!)
    expect(sent).toMatchObject({ state: 'sent', number: null })
    expect(sent.sessionRef).toMatch(/^\d{8}-SO-/)
    expect(sent.transportRef).toMatch(/^\d{8}-EE-/)
    let runs = 0
    while ((await submissionOf(t, id!)).state === 'sent' && runs++ < 5) await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    const done = await submissionOf(t, id!)
    expect(done.state).toBe('accepted')
    expect(isKsefNumber(done.number!)).toBe(true)
    expect(done.receipt).toContain(done.number!)
    expect(copiesOf(await numberOf(t, id!))).toBe(1)
  })

  it('reconciles a 440 duplicate left by a run that died after sending: the first number is kept', async () => {
    const t = await testApp()
    const [id] = await paidInvoices(t, 1, 'crashed')
    const document = sampleBuilder()
    // The dead run: it sent the invoice, then stopped before writing anything but its claim.
    const [first] = await channel().send([{ invoiceId: id!, document: (await document(t.deps, id!))! }])
    expect(first!.status).toBe('accepted')
    const past = new Date(t.clock.now().getTime() - MINUTE)
    await t.db.insert(einvoiceSubmissions).values({ invoiceId: id!, orgId: 'x', channel: 'ksef', state: 'sending', claim: 'dead-run', claimedUntil: past, attempts: 1, nextAttemptAt: past, createdAt: past })

    await runEInvoices(t.deps, t.clock.now(), NO_LEASE, { channel: channel(), document })
    const row = await submissionOf(t, id!)
    expect(row.state).toBe('accepted')
    expect(row.number).toBe((first as { number: string }).number)
    expect(row.note).toMatch(/^KSeF already had this invoice \(440/)
    expect(row.receipt).toContain(row.number!)
    expect(row.attempts).toBe(2)
  })

  it('takes the first number when KSeF knows the invoice by its seller and number, though the document changed (440)', async () => {
    const t = await testApp()
    const [id] = await paidInvoices(t, 1, 'rebuilt')
    const document = sampleBuilder()
    const built = (await document(t.deps, id!))!
    // The dead run's document was built a moment earlier: another creation time, another hash.
    const earlier = new TextEncoder().encode(new TextDecoder().decode(built.xml).replace(/<DataWytworzeniaFa>[^<]*</, '<DataWytworzeniaFa>2026-11-02T08:59:00Z<'))
    const [first] = await channel().send([{ invoiceId: id!, document: { ...built, xml: earlier } }])
    const past = new Date(t.clock.now().getTime() - MINUTE)
    await t.db.insert(einvoiceSubmissions).values({ invoiceId: id!, orgId: 'x', channel: 'ksef', state: 'sending', claim: 'dead-run', claimedUntil: past, attempts: 1, nextAttemptAt: past, createdAt: past })
    await runEInvoices(t.deps, t.clock.now(), NO_LEASE, { channel: channel(), document })
    const row = await submissionOf(t, id!)
    expect(row).toMatchObject({ state: 'accepted', number: (first as { number: string }).number, documentHash: await sha256Base64(built.xml) })
    expect(row.note).toMatch(/\(440/)
  })

  it('keeps invoices waiting, and says why, while KSeF refuses the token', async () => {
    const t = await testApp()
    const [id] = await paidInvoices(t, 1, 'token')
    const wrong = new KsefChannel({ apiBase: fake.url, token: 'withdrawn-token', nip: SELLER_NIP }, { sleep: async () => {}, pollEveryMs: 0 }, 3)
    const report = await runEInvoices(t.deps, t.clock.now(), NO_LEASE, { channel: wrong, document: sampleBuilder() })
    expect(report.errors).toEqual([expect.stringContaining('KSeF refused the request (450): Nieprawidłowy token')])
    expect(await submissionOf(t, id!)).toMatchObject({ state: 'offline', lastError: 'KSeF refused the request (450): Nieprawidłowy token' })
    expect(fake.state.received).toEqual([])
  })

  it('shows a 450 rejection with its reasons, and sends the corrected invoice once re-issued', async () => {
    const t = await testApp()
    const [good, bad] = await paidInvoices(t, 2, 'rejected')
    let corrected = false
    const document = sampleBuilder((invoiceId, doc) => {
      if (invoiceId !== bad || corrected) return doc
      return { ...doc, xml: new TextEncoder().encode(new TextDecoder().decode(doc.xml).replace(/<P_1>[^<]*<\/P_1>/, '<P_1>02.11.2026</P_1>')) }
    })
    const einvoicing = { channel: channel(), document }
    const report = await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    expect(report.counts).toMatchObject({ accepted: 1, rejected: 1 })
    expect((await submissionOf(t, good!)).state).toBe('accepted')
    const rejected = await submissionOf(t, bad!)
    expect(rejected).toMatchObject({ state: 'rejected', number: null })
    expect(rejected.reasons![0]).toBe('450')
    expect(rejected.reasons!.join('\n')).toMatch(/P_1.*02\.11\.2026/)

    // Nothing is sent again until an operator re-issues it.
    await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    expect((await submissionOf(t, bad!)).state).toBe('rejected')
    corrected = true
    expect(await reissueSubmission(t.db, bad!, t.clock.now())).toBe(true)
    expect(await reissueSubmission(t.db, good!, t.clock.now())).toBe(false)
    await runEInvoices(t.deps, t.clock.now(), NO_LEASE, einvoicing)
    const reissued = await submissionOf(t, bad!)
    expect(reissued.state).toBe('accepted')
    expect(isKsefNumber(reissued.number!)).toBe(true)
    expect(reissued.note).toMatch(/^re-issued after a rejection: .*450/)
  })

  it('after KSeF was down for an hour, sends every invoice exactly once, with two runs at once', async () => {
    const t = await testApp()
    const ids = await paidInvoices(t, 4, 'outage')
    const document = sampleBuilder()
    const einvoicing = { channel: channel(), document }
    const deps = { ...t.deps, einvoicing }
    fake.state.down = true
    try {
      const first = await runEInvoices(deps, t.clock.now())
      expect(first.counts).toMatchObject({ claimed: 4, offline: 4, accepted: 0 })
      expect(first.errors).toEqual([expect.stringMatching(/^ksef unavailable, 4 invoice\(s\) wait: .*answered 503$/)])
      for (const id of ids) {
        const row = await submissionOf(t, id)
        expect(row).toMatchObject({ state: 'offline', attempts: 1, number: null })
        expect(row.lastError).toMatch(/answered 503/)
        expect(row.nextAttemptAt.getTime()).toBe(t.clock.now().getTime() + MINUTE)
      }
      // Operators see by when each must be in KSeF: the end of the next working day in Poland.
      t.deps.einvoicing = einvoicing
      const { b } = await operatorWithAuthenticator(t, 'ops-outage@example.com')
      const listed = textOf(await (await b.get('/ops/einvoices')).text())
      expect(listed).toContain('system unreachable, retried automatically')
      expect(listed).toContain(`to be in KSeF by ${formatDateTime('en', offlineDeadline((await t.db.select().from(invoices).where(eq(invoices.id, ids[0]!)).get())!.issuedAt), 'Europe/Warsaw')} (offline rules)`)
      // Every five minutes for an hour, as the cron does: each try backs off further.
      for (let i = 0; i < 12; i++) {
        t.clock.advance(5 * MINUTE)
        await runEInvoices(deps, t.clock.now())
      }
      const waiting = await submissionOf(t, ids[0]!)
      expect(waiting.state).toBe('offline')
      expect(waiting.attempts).toBeLessThan(12)
    } finally {
      fake.state.down = false
    }
    t.clock.advance(60 * MINUTE)
    // Two runs at once, past the runner's lease, and two through it.
    const direct = Promise.all([runEInvoices(deps, t.clock.now()), runEInvoices(deps, t.clock.now())])
    const viaRunner = Promise.all([runNamedJob(deps, 'einvoices', t.clock.now()), runNamedJob(deps, 'einvoices', t.clock.now())])
    const claimed = (await direct).map((r) => r.counts.claimed ?? 0)
    const claimedViaRunner = (await viaRunner).map((r) => ('counts' in r ? (r.counts.claimed ?? 0) : 0))
    expect([...claimed, ...claimedViaRunner].reduce((a, b) => a + b, 0)).toBe(4)
    for (const id of ids) {
      const row = await submissionOf(t, id)
      expect(row.state).toBe('accepted')
      expect(isKsefNumber(row.number!)).toBe(true)
      expect(copiesOf(await numberOf(t, id))).toBe(1)
      // Issued while KSeF could not be reached: sent in its offline mode (KSeF takes P_1 as the issue date).
      const number = await numberOf(t, id)
      expect(fake.state.received.filter((r) => r.xml.includes(`<P_2>${number}</P_2>`)).map((r) => r.offlineMode)).toEqual([true])
    }
  })

  it('leaves invoices issued more than 30 days before it was switched on alone', async () => {
    const t = await testApp()
    const [old] = await paidInvoices(t, 1, 'old')
    t.clock.advance(30 * 24 * 60 * MINUTE + MINUTE)
    const [recent] = await paidInvoices(t, 1, 'recent')
    const report = await runEInvoices(t.deps, t.clock.now(), NO_LEASE, { channel: channel(), document: sampleBuilder() })
    expect(report.counts).toMatchObject({ discovered: 1, accepted: 1 })
    expect((await submissionOf(t, recent!)).state).toBe('accepted')
    expect(await t.db.select().from(einvoiceSubmissions).where(eq(einvoiceSubmissions.invoiceId, old!)).get()).toBeUndefined()
  })

  it('does nothing while e-invoicing is off', async () => {
    const t = await testApp()
    await paidInvoices(t, 1, 'off')
    expect(await runEInvoices(t.deps, t.clock.now())).toEqual({ counts: { off: 1 }, errors: [] })
    expect(await t.db.select().from(einvoiceSubmissions).all()).toEqual([])
  })

  it('builds a different stand-in document for each invoice number, so a duplicate here is a real one', () => {
    expect(fa3Document({ nip: SELLER_NIP, number: 'A' }).xml).not.toEqual(fa3Document({ nip: SELLER_NIP, number: 'B' }).xml)
  })
})

describe('the operators’ e-invoices page', () => {
  it('shows a refused invoice with KSeF’s reasons, and re-issues it once', async () => {
    const t = await testApp()
    const [bad] = await paidInvoices(t, 1, 'ops')
    const document = sampleBuilder((_, doc) => ({ ...doc, xml: new TextEncoder().encode(new TextDecoder().decode(doc.xml).replace(/<P_1>[^<]*<\/P_1>/, '<P_1>yesterday</P_1>')) }))
    t.deps.einvoicing = { channel: channel(), document }
    await runEInvoices(t.deps, t.clock.now())
    const { b } = await operatorWithAuthenticator(t, 'ops-einvoices@example.com')
    const number = await numberOf(t, bad!)

    const listed = await b.get('/ops/einvoices')
    expect(listed.status).toBe(200)
    const text = textOf(await listed.text())
    expect(text).toContain('Invoices go to KSeF every few minutes')
    expect(text).toContain(`${number} Org of ops0@example.com refused 1 450 Błąd weryfikacji semantyki dokumentu faktury`)
    expect(text).toMatch(/P_1.*yesterday/)

    const reissued = await b.post(`/ops/einvoices/${bad}/reissue`, {})
    expect(reissued.status).toBe(303)
    expect(await submissionOf(t, bad!)).toMatchObject({ state: 'pending', reasons: null })
    expect(textOf(await (await b.follow(reissued)).text())).toContain(`Invoice ${number} will be sent again within minutes.`)
    // A second click finds it no longer refused.
    const again = await b.post(`/ops/einvoices/${bad}/reissue`, {})
    expect(textOf(await (await b.follow(again)).text())).toContain('This invoice is not refused (any more). Nothing was changed.')
    expect((await b.post('/ops/einvoices/no-such-invoice/reissue', {})).status).toBe(404)
    // Customers never see it.
    const { b: visitor } = await adminWithOrg(t, 'not-an-operator@example.com')
    expect((await visitor.get('/ops/einvoices')).status).not.toBe(200)

    // Corrected, it goes through: the page counts it accepted, names its KSeF number and offers its UPO.
    t.deps.einvoicing = { channel: channel(), document: sampleBuilder() }
    await runEInvoices(t.deps, t.clock.now())
    const row = await submissionOf(t, bad!)
    expect(row.state).toBe('accepted')
    // The number is shown in its groups, which break only between them (read back whole here).
    const after = textOf(await (await b.get('/ops/einvoices')).text()).replace(/- (?=[0-9A-F]+\b)/g, '-')
    expect(after).toContain('accepted 1 refused 0')
    expect(after).toContain(`${number} Org of ops0@example.com ${row.number}`)
    const upo = await b.get(`/ops/einvoices/${bad}/receipt`)
    expect(upo.status).toBe(200)
    expect(upo.headers.get('content-disposition')).toBe(`attachment; filename="UPO-${number.replaceAll('/', '-')}.xml"`)
    expect(await upo.text()).toContain(`<NumerKSeFDokumentu>${row.number}</NumerKSeFDokumentu>`)
    expect((await visitor.get(`/ops/einvoices/${bad}/receipt`)).status).not.toBe(200)
    expect((await b.get('/ops/einvoices/no-such-invoice/receipt')).status).toBe(404)
  })
})
