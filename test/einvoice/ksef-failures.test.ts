// KSeF failures the Ministry declared, recorded by operators on /ops/einvoices (emergency mode,
// issue 18 item 6): the form (good input, bad input with its message, non-operators and foreign
// origins refused), the deadline the page shows for invoices issued during one — open while it
// lasts, 7 working days after its end once recorded — and the history of each record.
import { describe, expect, it } from 'vitest'
import { and, eq, isNull } from 'drizzle-orm'
import { history, meta } from '../../src/db/schema'
import { formatDateTime } from '../../src/i18n'
import { discoverInvoices, markDeclaredOffline } from '../../src/services/einvoices'
import { KSEF_FAILURES_KEY } from '../../src/services/ksef-failures'
import { testApp, textOf } from '../helpers/app'
import { operatorWithAuthenticator } from '../helpers/operators'
import { adminWithOrg } from '../helpers/orgs'
import { paidInvoices, submissionOf } from './world'

const warsaw = (iso: string) => formatDateTime('en', new Date(iso), 'Europe/Warsaw')
const stored = async (t: Awaited<ReturnType<typeof testApp>>) => (await t.db.select().from(meta).where(eq(meta.key, KSEF_FAILURES_KEY)).get())?.value ?? null

describe('KSeF failures declared by the Ministry', () => {
  it('are recorded by an operator, and give invoices issued during one its deadline: open, then 7 working days after its end', async () => {
    // Monday 21 December 2026, 11:00 and 12:00 in Warsaw: an invoice before the failure, one during it.
    const t = await testApp({ now: '2026-12-21T10:00:00Z' })
    const [before] = await paidInvoices(t, 1, 'before')
    t.clock.advance(60 * 60_000)
    const [during] = await paidInvoices(t, 1, 'during')
    await discoverInvoices(t.db, 'ksef', t.clock.now())

    // Wednesday 23 December, 16:30: the operator records the failure the Ministry declared from 11:30 on Monday.
    t.clock.set(new Date('2026-12-23T15:30:00Z'))
    const { b } = await operatorWithAuthenticator(t, 'failures-operator@example.com', 'Olga Operator')
    const declared = await b.post('/ops/einvoices/failures', { from: '2026-12-21T11:30', until: '' })
    expect(declared.status).toBe(303)
    expect(textOf(await (await b.follow(declared)).text())).toContain('Failure recorded.')

    let page = textOf(await (await b.get('/ops/einvoices')).text())
    expect(page).toContain(`Ongoing since ${warsaw('2026-12-21T10:30:00Z')}: invoices issued since then are to be in KSeF within 7 working days after the failure ends.`)
    expect(page).toContain(`recorded by Olga Operator <failures-operator@example.com> on ${warsaw('2026-12-23T15:30:00Z')}`)
    // The invoice issued before the failure kept the next working day (and is late); the one during it waits for the end.
    const rowOf = (text: string, id: string) => text.slice(text.indexOf(id))
    const numbers = Object.fromEntries(await Promise.all([before!, during!].map(async (id) => [id, (await t.db.query.invoices.findFirst({ where: (i, { eq }) => eq(i.id, id) }))!.number])))
    expect(rowOf(page, numbers[before!]!)).toMatch(new RegExp(`^${numbers[before!]} .*? late: should have been in KSeF by ${warsaw('2026-12-22T23:00:00Z')}`))
    expect(rowOf(page, numbers[during!]!)).toMatch(new RegExp(`^${numbers[during!]} .*? emergency mode: to be in KSeF within 7 working days after the failure ends`))

    // The Ministry announces the end: 16:00 in Warsaw that Wednesday.
    const ended = await b.post('/ops/einvoices/failures/end', { until: '2026-12-23T16:00' })
    expect(ended.status).toBe(303)
    expect(textOf(await (await b.follow(ended)).text())).toContain('End of the failure recorded.')
    page = textOf(await (await b.get('/ops/einvoices')).text())
    // Christmas, the New Year and Epiphany skipped: the end of Thursday 7 January 2027.
    const deadline = warsaw('2027-01-07T23:00:00Z')
    expect(page).toContain(`${warsaw('2026-12-21T10:30:00Z')} to ${warsaw('2026-12-23T15:00:00Z')}: invoices issued during it are to be in KSeF by ${deadline}.`)
    expect(page).toContain('end recorded by Olga Operator <failures-operator@example.com>')
    expect(rowOf(page, numbers[during!]!)).toMatch(new RegExp(`^${numbers[during!]} .*? to be in KSeF by ${deadline} \\(emergency mode`))
    // The job marks the invoice issued during it offline (sent with offlineMode, KOD II), not the one before, nor one after it.
    const [after] = await paidInvoices(t, 1, 'after')
    await discoverInvoices(t.db, 'ksef', t.clock.now())
    expect(await markDeclaredOffline(t.db)).toBe(1)
    expect([(await submissionOf(t, before!)).offlineMode, (await submissionOf(t, during!)).offlineMode, (await submissionOf(t, after!)).offlineMode]).toEqual([false, true, false])

    // Past the deadline it is late (an operator signing in then).
    t.clock.set(new Date('2027-01-08T00:00:00Z'))
    const { b: later } = await operatorWithAuthenticator(t, 'failures-later@example.com')
    expect(rowOf(textOf(await (await later.get('/ops/einvoices')).text()), numbers[during!]!)).toContain(`late: should have been in KSeF by ${deadline}`)

    // Each record is in the history, with the operator who made it.
    const rows = await t.db.select().from(history).where(and(isNull(history.orgId), eq(history.subjectType, 'ksef_failure'))).orderBy(history.id).all()
    expect(rows.map((r) => [r.kind, r.actorType, r.actorLabel, r.details])).toEqual([
      ['einvoice.ksef_failure_declared', 'operator', 'Olga Operator <failures-operator@example.com>', { from: '2026-12-21T10:30:00.000Z', until: null }],
      ['einvoice.ksef_failure_ended', 'operator', 'Olga Operator <failures-operator@example.com>', { from: '2026-12-21T10:30:00.000Z', until: '2026-12-23T15:00:00.000Z' }],
    ])
  })

  it('refuses bad input with a clear message and a 4xx, and changes nothing', async () => {
    const t = await testApp({ now: '2026-12-21T10:00:00Z' })
    const { b } = await operatorWithAuthenticator(t, 'failures-bad@example.com')
    const refused = async (path: string, form: Record<string, string>, status: number, message: string) => {
      const res = await b.post(path, form)
      expect(res.status, JSON.stringify(form)).toBe(status)
      expect(textOf(await res.text())).toContain(message)
    }
    await refused('/ops/einvoices/failures', { from: 'yesterday' }, 422, 'Give a date and time, e.g. 2026-12-01 08:00.')
    await refused('/ops/einvoices/failures', { from: '2026-02-30T10:00' }, 422, 'Give a date and time')
    await refused('/ops/einvoices/failures', { from: '2026-12-21T09:00', until: 'soon' }, 422, 'Give a date and time')
    await refused('/ops/einvoices/failures', {}, 422, 'This field is required.')
    await refused('/ops/einvoices/failures', { from: '2026-12-21T09:00', until: '2026-12-21T08:00' }, 422, 'The end must be after the start.')
    // 12:00 in Warsaw is 11:00 UTC, after the clock's 10:00.
    await refused('/ops/einvoices/failures', { from: '2026-12-21T12:00' }, 422, 'A failure is recorded once it has begun')
    await refused('/ops/einvoices/failures/end', { until: '2026-12-21T10:00' }, 409, 'No failure is ongoing: nothing to end.')
    expect(await stored(t)).toBeNull()

    expect((await b.post('/ops/einvoices/failures', { from: '2026-12-20T09:00', until: '2026-12-20T18:00' })).status).toBe(303)
    const recorded = await stored(t)
    await refused('/ops/einvoices/failures', { from: '2026-12-20T17:00' }, 422, 'It overlaps a failure already recorded')
    await refused('/ops/einvoices/failures', { from: '2026-12-19T09:00', until: '2026-12-20T10:00' }, 422, 'It overlaps')
    expect((await b.post('/ops/einvoices/failures', { from: '2026-12-21T09:00' })).status).toBe(303)
    await refused('/ops/einvoices/failures/end', { until: '' }, 422, 'Give a date and time')
    await refused('/ops/einvoices/failures/end', { until: '2026-12-21T08:59' }, 422, 'The end must be after the start.')
    await refused('/ops/einvoices/failures/end', { until: '2026-12-21T12:00' }, 422, 'A failure is recorded once it has begun, and its end once it has come')
    expect(JSON.parse((await stored(t))!)).toHaveLength(2)
    expect(JSON.parse((await stored(t))!)[1]).toEqual(JSON.parse(recorded!)[0])
  })

  it('is for operators only, from the panel itself, and for a Polish seller', async () => {
    const t = await testApp({ now: '2026-12-21T10:00:00Z' })
    const { b: customer } = await adminWithOrg(t, 'failures-customer@example.com')
    expect((await customer.post('/ops/einvoices/failures', { from: '2026-12-21T09:00' })).status).toBe(404)
    await expect(t.browser().post('/ops/einvoices/failures', { from: '2026-12-21T09:00' }).then((r) => r.headers.get('Location'))).resolves.toBe('/login')
    const { b } = await operatorWithAuthenticator(t, 'failures-csrf@example.com')
    // A form posted from another site is refused by the same-origin check.
    expect((await b.post('/ops/einvoices/failures', { from: '2026-12-21T09:00' }, { Origin: 'https://evil.example' })).status).toBe(403)
    expect(await stored(t)).toBeNull()

    const italian = await testApp({ now: '2026-12-21T10:00:00Z', config: { vendor: { ...t.config.vendor, country: 'IT' } } })
    const { b: op } = await operatorWithAuthenticator(italian, 'failures-it@example.com')
    expect((await op.post('/ops/einvoices/failures', { from: '2026-12-21T09:00' })).status).toBe(404)
    expect(textOf(await (await op.get('/ops/einvoices')).text())).not.toContain('KSeF failures')
  })
})
