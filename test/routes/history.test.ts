import { describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { memberships, orgs } from '../../src/db/schema'
import { historyFacets, recordHistory, type Actor } from '../../src/db/history'
import { testApp, textOf } from '../helpers/app'
import { createUser, nextNip, PASSWORD } from '../helpers/users'

const t = await testApp()

const admin = await createUser(t.deps, { email: 'hist-admin@example.com', name: 'Ala Admin' })
const b = t.browser()
await b.post('/login', { email: admin.email, password: PASSWORD })
const created = await b.post('/orgs', {
  name: 'Historia Sp. z o.o.',
  country: 'PL',
  legalForm: 'company',
  taxId: nextNip(),
  addressLine: 'ul. Krótka 2',
  postalCode: '00-002',
  city: 'Warszawa',
  billingEmail: 'billing@example.com',
})
const slug = created.headers.get('Location')!.replace('/o/', '')
const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
const bob: Actor = { type: 'user', id: 'bob-id', label: 'Bob <bob@example.com>' }
const system: Actor = { type: 'system', id: null, label: 'renewals' }
/** The text of the table body only (the filter menus name every kind). */
const bodyOf = async (res: Response) => textOf(/<tbody>([\s\S]*)<\/tbody>/.exec(await res.text())?.[1] ?? '')
/** Response text keeping a byte-order mark (Response.text() drops it). */
const rawText = async (res: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())

// 120 entries, one an hour from 1 Nov; plus two around midnight of 1 December in Warsaw.
for (let i = 0; i < 120; i++) {
  await recordHistory(t.db, {
    orgId: org.id,
    actor: i % 2 ? bob : system,
    kind: i % 3 ? 'member.added' : 'ecode.generated',
    details: { i },
    at: new Date(Date.UTC(2026, 10, 1, 0) + i * 3_600_000),
  })
}
await recordHistory(t.db, { orgId: org.id, actor: bob, kind: 'api_key.created', at: new Date('2026-11-30T22:59:00Z'), details: { name: '=SUM(A1)' } })
await recordHistory(t.db, { orgId: org.id, actor: bob, kind: 'api_key.revoked', at: new Date('2026-11-30T23:01:00Z'), details: { name: 'a;b,"c"' } })

describe('history list', () => {
  it('shows 50 entries a page, newest first, with a link to older ones that ends', async () => {
    const first = await b.get(`/o/${slug}/history`)
    const html = await first.text()
    expect((html.match(/<tr>/g) ?? []).length - 1).toBe(50)
    expect(textOf(html).indexOf('revoked')).toBeLessThan(textOf(html).indexOf('API key “=SUM(A1)” created'))
    let next = /href="([^"]*cursor=[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&')
    let pages = 1
    let total = 50
    while (next) {
      const res = await b.get(next)
      const page = await res.text()
      total += (page.match(/<tr>/g) ?? []).length - 1
      pages++
      next = /href="([^"]*cursor=[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&')
    }
    expect(pages).toBe(3)
    expect(total).toBe(123) // 120 + 2 edge entries + org.created
  })

  it('filters by kind and by person', async () => {
    const byKind = await bodyOf(await b.get(`/o/${slug}/history?kind=ecode.generated`))
    expect(byKind).toContain('E-codes generated')
    expect(byKind).not.toContain('Member added')
    const byBob = await bodyOf(await b.get(`/o/${slug}/history?actor=bob-id&kind=member.added`))
    expect(byBob).toContain('Bob')
    expect(byBob).not.toMatch(/renewals/)
  })

  it('offers each kind once, and each person once under the label of their latest entry (not the system)', async () => {
    const facets = await historyFacets(t.db, org.id)
    expect(facets.kinds).toEqual(['api_key.created', 'api_key.revoked', 'ecode.generated', 'member.added', 'org.created'])
    expect(facets.actors.map((a) => a.label)).toEqual(['Ala Admin <hist-admin@example.com>', 'Bob <bob@example.com>'])
    // Another org's entries stay out; a renamed person shows once, by the newer name.
    const [other] = await t.db.insert(orgs).values({ ...org, id: 'other-org', slug: 'other-org', taxId: null }).returning()
    const eve = { type: 'user', id: 'eve-id' } as const
    await recordHistory(t.db, { orgId: other!.id, actor: { ...eve, label: 'Eve Old' }, kind: 'payment.failed', at: new Date('2026-11-05T10:00:00Z') })
    await recordHistory(t.db, { orgId: other!.id, actor: { ...eve, label: 'Eve New' }, kind: 'payment.failed', at: new Date('2026-11-06T10:00:00Z') })
    expect(await historyFacets(t.db, other!.id)).toEqual({ kinds: ['payment.failed'], actors: [{ id: 'eve-id', label: 'Eve New' }] })
    expect(await historyFacets(t.db, org.id)).toEqual(facets)
    const html = await (await b.get(`/o/${slug}/history`)).text()
    expect(html).toContain('<option value="bob-id">Bob &lt;bob@example.com&gt;</option>')
    expect(html).not.toContain('Eve New')
  })

  it('takes dates as whole days in the org’s time zone: 1 December in Warsaw starts at 23:00 UTC', async () => {
    const dec = await bodyOf(await b.get(`/o/${slug}/history?from=2026-12-01&to=2026-12-01`))
    expect(dec).toContain('revoked')
    expect(dec).not.toContain('created')
    const nov30 = await bodyOf(await b.get(`/o/${slug}/history?from=2026-11-30&to=2026-11-30`))
    expect(nov30).toContain('API key “=SUM(A1)” created')
    expect(nov30).not.toContain('revoked')
  })

  it('refuses malformed dates and a range that ends before it starts, with 422', async () => {
    const bad = await b.get(`/o/${slug}/history?from=2026-02-30`)
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('id="f-from-error"')
    const reversed = await b.get(`/o/${slug}/history?from=2026-12-02&to=2026-12-01`)
    expect(reversed.status).toBe(422)
    expect(textOf(await reversed.text())).toContain('The end date must not be before the start date.')
  })

  it('uses the (org_id, at, id) index for a page, even deep in the list', async () => {
    const plan = await t.db.all<{ detail: string }>(
      sql`explain query plan select * from history where org_id = ${org.id} and (at, id) < (1, 5) order by at desc, id desc limit 51`,
    )
    // A range on the index (org_id=? AND at<?), not every row of the org filtered one by one.
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING INDEX history_org_at \(org_id=\? AND at<\?\)/)
    expect(plan.map((p) => p.detail).join(' | ')).not.toMatch(/TEMP B-TREE/)
  })
})

describe('history CSV report', () => {
  it('has the current filter, a BOM, and the separator Excel expects in the reader’s language', async () => {
    const en = await b.get(`/o/${slug}/history.csv?from=2026-12-01&to=2026-12-01`)
    expect(en.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(en.headers.get('Content-Disposition')).toContain(`history-${slug}.csv`)
    const text = await rawText(en)
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const lines = text.slice(1).trim().split('\r\n')
    expect(lines[0]).toBe('When,Who,What,Type,Code,Subject')
    expect(lines).toHaveLength(2)
    // The sentence quoted as CSV needs; the time in the org's zone as a spreadsheet reads it.
    expect(lines[1]).toBe('2026-12-01 00:01,Bob <bob@example.com>,"API key “a;b,""c""” revoked",API key revoked,api_key.revoked,')

    await b.post('/language', { language: 'pl', next: '/' })
    const pl = await rawText(await b.get(`/o/${slug}/history.csv?kind=api_key.created`))
    const plLines = pl.slice(1).trim().split('\r\n')
    expect(plLines).toHaveLength(2)
    // A name Excel would run as a formula stays text inside the sentence.
    expect(plLines[1]!.split(';')[2]).toBe('Utworzono klucz API „=SUM(A1)”')
    const created = (await rawText(await b.get(`/o/${slug}/history.csv?kind=org.created`))).slice(1).trim().split('\r\n')
    expect(created[0]).toBe('Kiedy;Kto;Co;Rodzaj;Kod;Dotyczy')
    expect(created[1]!.split(';').slice(2, 6)).toEqual([expect.stringMatching(/^Utworzono organizację Historia Sp\. z o\.o\., numer podatkowy \d{3}-\d{3}-\d{2}-\d{2}$/), 'Utworzenie organizacji', 'org.created', 'Historia Sp. z o.o.'])
    await b.post('/language', { language: 'en', next: '/' })
  })

  it('holds every entry of an unfiltered history', async () => {
    const text = await rawText(await b.get(`/o/${slug}/history.csv`))
    expect(text.slice(1).trim().split('\r\n')).toHaveLength(124)
  })
})

describe('who may see the history', () => {
  it('a member gets 403 and a stranger 404, for the list and the report', async () => {
    const member = await createUser(t.deps, { email: 'hist-member@example.com' })
    await t.db.insert(memberships).values({ orgId: org.id, userId: member.id, role: 'member', createdAt: t.clock.now() })
    const mb = t.browser()
    await mb.post('/login', { email: member.email, password: PASSWORD })
    expect((await mb.get(`/o/${slug}/history`)).status).toBe(403)
    expect((await mb.get(`/o/${slug}/history.csv`)).status).toBe(403)
    await createUser(t.deps, { email: 'hist-stranger@example.com' })
    const sb = t.browser()
    await sb.post('/login', { email: 'hist-stranger@example.com', password: PASSWORD })
    expect((await sb.get(`/o/${slug}/history`)).status).toBe(404)
    expect((await sb.get(`/o/${slug}/history.csv`)).status).toBe(404)
  })
})
