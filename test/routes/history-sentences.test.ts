// The history names people and things (issue 16, rule 5): each row is a sentence in the reader's
// language, the CSV's Subject is a name and its When an ISO time, a reversed date range says so, and
// an erased org's rows name nobody. Every kind the app writes has a sentence in every language.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { history, licences, memberships, orgs } from '../../src/db/schema'
import { recordHistory, type Actor } from '../../src/db/history'
import { HISTORY_KINDS } from '../../src/domain/history-kinds'
import { eraseOrg } from '../../src/services/org-erasure'
import { grantPlan } from '../../src/services/grants'
import { cachedCatalog } from '../../src/db/catalog-cache'
import { LANGUAGES, translator } from '../../src/i18n'
import { describeEntry, describeKind } from '../../src/views/history/describe'
import { SENTENCES } from '../../src/views/history/sentences'
import { testApp, textOf } from '../helpers/app'
import { createUser, nextNip, PASSWORD } from '../helpers/users'
import { operatorWithAuthenticator } from '../helpers/operators'

const t = await testApp()
await t.seedCatalog()

const signIn = async (email: string, name: string, language: 'en' | 'pl' | 'it' = 'en') => {
  const user = await createUser(t.deps, { email, name, language })
  const b = t.browser()
  await b.post('/login', { email, password: PASSWORD })
  return { user, b }
}
/** The text of the table body only (the filter menus name every kind). */
const bodyOf = async (res: Response) => textOf(/<tbody>([\s\S]*)<\/tbody>/.exec(await res.text())?.[1] ?? '')
const rawText = async (res: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())

const admin = await signIn('ala@example.com', 'Ala Admin')
const nip = nextNip()
const created = await admin.b.post('/orgs', {
  name: 'Zając i Nowak sp. z o.o.',
  country: 'PL',
  legalForm: 'company',
  taxId: nip,
  addressLine: 'ul. Krótka 2',
  postalCode: '00-002',
  city: 'Warszawa',
  billingEmail: 'billing@example.com',
})
const slug = created.headers.get('Location')!.replace('/o/', '')
const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
const kamil = await createUser(t.deps, { email: 'kamil@example.com', name: 'Kamil Zając' })
const ewa = await createUser(t.deps, { email: 'ewa@example.com', name: 'Ewa Nowak' })
const permissions = (userId: string, products: string[]) =>
  admin.b.send(`/o/${slug}/members/${userId}/permissions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
    body: products.map((p) => `product=${p}`).join('&'),
  })

// The vendor grants a plan with seats for everyone below (25 users), as an operator does on /ops.
const operator = { ...(await createUser(t.deps, { email: 'granting-op@example.com', name: 'Gosia Grant', operator: true })), totpKey: null, totpRecoveryHash: null, totpLastStep: null }
const platinum = (await cachedCatalog(t.db)).find((p) => p.key === 'sekretariat')!.plans.find((p) => p.key === 'platinum')!
expect(await grantPlan(t.deps, org, operator, { planId: platinum.id, months: 12 }, t.clock.now())).toMatchObject({ ok: true })
// What people do, through the pages: the rows the history then holds are the app's own.
expect((await admin.b.post(`/o/${slug}/members`, { email: kamil.email })).status).toBe(303)
expect((await admin.b.post(`/o/${slug}/members`, { email: ewa.email })).status).toBe(303)
expect((await admin.b.post(`/o/${slug}/members/${kamil.id}/role`, { role: 'admin' })).status).toBe(303)
expect((await permissions(ewa.id, ['sekretariat'])).status).toBe(303)
expect((await permissions(ewa.id, [])).status).toBe(303)
// Someone joins by tax id and licence number, declaring to be authorised (the statement's time is stored).
const licence = (await t.db.select().from(licences).where(eq(licences.orgId, org.id)).get())!.number
const olga = await signIn('olga@example.com', 'Olga Kowalska')
expect((await olga.b.post('/orgs/claims', { country: 'PL', taxId: nip, licence, statement: 'on' })).status).toBe(303)
// Kinds whose pages need more set-up, recorded with the details their services write.
const bob: Actor = { type: 'user', id: 'bob-id', label: 'Bob <bob@example.com>' }
await recordHistory(t.db, {
  orgId: org.id,
  actor: bob,
  kind: 'ecode.generated',
  subject: { type: 'variant', id: 'v1' },
  details: { product: 'SimplySign', variant: '1 year', count: 5, unitsLeft: 3 },
  at: t.clock.now(),
})

describe('the history names people and things (issue 16, rule 5)', () => {
  it('says what happened as a sentence naming the person and the product, without raw keys', async () => {
    const body = await bodyOf(await admin.b.get(`/o/${slug}/history`))
    expect(body).toContain('Kamil Zając: role changed from member to administrator')
    expect(body).toContain('Kamil Zając added as a member')
    expect(body).toContain('Access to Sekretariat given to Ewa Nowak')
    expect(body).toContain('Access to Sekretariat taken from Ewa Nowak')
    expect(body).toContain(`Olga Kowalska joined with licence number ${licence}, declaring to be authorised to act for the organization (2 November 2026)`)
    expect(body).toContain(`Sekretariat: plan Platinum granted by the vendor for 12 months, until 2 November 2027; licence ${licence}`)
    expect(body).toContain(`Organization Zając i Nowak sp. z o.o. created, tax id ${nip.slice(0, 3)}-${nip.slice(3, 6)}-${nip.slice(6, 8)}-${nip.slice(8)}`)
    expect(body).toContain('5 e-codes of SimplySign (1 year) generated, 3 units left in the warehouse')
    for (const raw of ['from:', 'to:', 'unitsLeft', 'statementAcceptedAt', 'products:', 'email:', '2026-11-02T', 'member.', 'user:']) expect(body).not.toContain(raw)
  })

  it('in the reader’s language', async () => {
    const pl = await signIn('kamil-pl@example.com', 'Czytelnik', 'pl')
    await t.db.insert(memberships).values({ orgId: org.id, userId: pl.user.id, role: 'admin', createdAt: t.clock.now() })
    const body = await bodyOf(await pl.b.get(`/o/${slug}/history`))
    expect(body).toContain('Kamil Zając: zmiana roli z „członek” na „administrator”')
    expect(body).toContain('Ewa Nowak: nadano dostęp do Sekretariat')
    expect(body).toContain('Ewa Nowak: odebrano dostęp do Sekretariat')
    expect(body).toContain('Wygenerowano 5 e-kodów SimplySign (1 year), w magazynie zostało: 3 sztuki')
    expect(body).toContain('Olga Kowalska: dołączenie z numerem licencji')
    expect(body).toContain('(2 listopada 2026)')
  })

  it('the CSV names the subject and writes ISO times that spreadsheets read as dates', async () => {
    const csv = (await rawText(await admin.b.get(`/o/${slug}/history.csv?kind=member.role_changed`))).slice(1).trim().split('\r\n')
    expect(csv[0]).toBe('When,Who,What,Type,Code,Subject')
    // 09:00 UTC is 10:00 in Warsaw in November.
    expect(csv[1]).toBe('2026-11-02 10:00,Ala Admin <ala@example.com>,Kamil Zając: role changed from member to administrator,Role changed,member.role_changed,Kamil Zając')
    const all = await rawText(await admin.b.get(`/o/${slug}/history.csv`))
    expect(all).not.toMatch(/user:|variant:|subscription:/)
    expect(all).toContain(',Access to Sekretariat given to Ewa Nowak,Product access changed,member.permissions_changed,Ewa Nowak')
  })

  it('a From date after To says so instead of "Nothing has happened here yet"; a filter that finds nothing says that', async () => {
    const reversed = await admin.b.get(`/o/${slug}/history?from=2026-12-02&to=2026-12-01`)
    expect(reversed.status).toBe(422)
    const text = textOf(await reversed.text())
    expect(text).toContain('The end date must not be before the start date.')
    expect(text).not.toContain('Nothing has happened here yet.')
    const csv = await admin.b.get(`/o/${slug}/history.csv?from=2026-12-02&to=2026-12-01`)
    expect(csv.status).toBe(422)
    expect(await csv.text()).toBe('The end date must not be before the start date.')
    const none = textOf(await (await admin.b.get(`/o/${slug}/history?from=2027-01-01&to=2027-01-02`)).text())
    expect(none).toContain('Nothing happened that matches this filter.')
    expect(none).not.toContain('Nothing has happened here yet.')
  })

  it('an erased org’s history names nobody: a neutral word instead', async () => {
    const ops = await operatorWithAuthenticator(t, 'ops-hist@example.com', 'Olek Operator')
    await t.db.batch(eraseOrg(t.db, org.id, [], t.clock.now()) as [never])
    const body = await bodyOf(await ops.b.get(`/ops/orgs/${org.id}/history`))
    for (const name of ['Kamil Zając', 'Ewa Nowak', 'Olga Kowalska', 'Ala Admin', 'Bob']) expect(body).not.toContain(name)
    expect(body).toContain('Role changed: someone')
    expect(body).toContain('Someone added as a member')
    expect(body).toContain('Product access changed: someone')
    const erased = await t.db.select().from(history).where(and(eq(history.orgId, org.id), eq(history.kind, 'member.role_changed')))
    expect(erased).toMatchObject([{ subjectId: null, details: null, actorLabel: '' }])
  })
})

describe('every kind of history row', () => {
  /**
   * The kinds the source writes as `kind: '…'` (history rows; lifecycle notices, which also have a
   * kind, are declared as `const notice = { key, orgId, kind }` and left out). Kinds passed to the
   * services' helpers (`change(…, 'plan.auto_renew_on', …)`) are typed HistoryKind, which tsc checks.
   */
  function kindsWritten(): string[] {
    const found = new Set<string>()
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (/\.tsx?$/.test(entry.name)) {
          for (const line of readFileSync(path, 'utf8').split('\n')) {
            if (line.includes('const notice')) continue
            for (const m of line.matchAll(/kind: (?:actor\.id === userId \? )?'([a-z_]+\.[a-z_.]+)'(?: : '([a-z_]+\.[a-z_.]+)')?/g)) {
              found.add(m[1]!)
              if (m[2]) found.add(m[2])
            }
          }
        }
      }
    }
    walk(join(process.cwd(), 'src'))
    return [...found].sort()
  }

  it('that the app writes has a phrase and a sentence in every language (none falls back to its code)', () => {
    const written = kindsWritten()
    expect(written).toEqual(expect.arrayContaining(['member.added', 'member.left', 'member.removed', 'ecode.generated', 'order.cancelled']))
    expect(written.filter((k) => !(HISTORY_KINDS as readonly string[]).includes(k))).toEqual([])
    for (const lang of LANGUAGES) {
      const t = translator(lang)
      for (const kind of HISTORY_KINDS) {
        expect(describeKind(t, kind), `${lang} ${kind}`).not.toBe(kind)
        expect(typeof SENTENCES[kind]).toBe('function')
      }
    }
  })

  it('with its details gone (an erased org) still reads as words, never as a code or an empty line', () => {
    for (const lang of LANGUAGES) {
      const t = translator(lang)
      for (const kind of HISTORY_KINDS) {
        for (const subjectType of [null, 'user']) {
          const said = describeEntry({ t, lang, timeZone: 'Europe/Warsaw' }, { kind, details: null, subjectType, subjectId: null, subjectName: null, actorType: 'user', actorLabel: '' })
          expect(said, `${lang} ${kind}`).not.toContain(kind)
          expect(said.length).toBeGreaterThan(3)
          expect(said).not.toMatch(/\{\w+\}/)
        }
      }
    }
  })
})
