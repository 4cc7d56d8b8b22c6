import { describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { history, memberships, orgs } from '../../src/db/schema'
import { testApp, textOf } from '../helpers/app'
import { createUser, PASSWORD } from '../helpers/users'

const t = await testApp()

async function signedIn(email: string) {
  const user = await createUser(t.deps, { email })
  const b = t.browser()
  await b.post('/login', { email, password: PASSWORD })
  return { user, b }
}

const company = {
  name: 'Biuro Rachunkowe Łódź Sp. z o.o.',
  country: 'PL',
  legalForm: 'company',
  taxId: '774-00-01-454',
  addressLine: 'ul. Piotrkowska 1',
  postalCode: '90-001',
  city: 'Łódź',
  billingEmail: 'faktury@biuro.example.com',
  einvoiceId: '',
}

async function createCompany(b: ReturnType<typeof t.browser>, form: Record<string, string> = company) {
  const res = await b.post('/orgs', form)
  expect(res.status).toBe(303)
  return res.headers.get('Location')!.replace('/o/', '')
}

async function counts() {
  return [(await t.db.select().from(orgs)).length, (await t.db.select().from(memberships)).length, (await t.db.select().from(history)).length]
}

describe('adding a company', () => {
  it('creates the org with a normalized tax id, makes the creator its administrator, and records it in the history', async () => {
    const { user, b } = await signedIn('founder@example.com')
    const res = await b.post('/orgs', company)
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/o/biuro-rachunkowe-lodz-sp-z-o-o')
    const org = await t.db.select().from(orgs).where(eq(orgs.slug, 'biuro-rachunkowe-lodz-sp-z-o-o')).get()
    expect(org).toMatchObject({ taxId: 'PL7740001454', timeZone: 'Europe/Warsaw', legalForm: 'company', city: 'Łódź' })
    expect(await t.db.select().from(memberships).where(eq(memberships.orgId, org!.id))).toEqual([
      expect.objectContaining({ userId: user.id, role: 'admin' }),
    ])
    const [row] = await t.db.select().from(history).where(eq(history.orgId, org!.id))
    expect(row).toMatchObject({ kind: 'org.created', actorType: 'user', actorId: user.id, actorLabel: 'Jan Nowak <founder@example.com>' })
    const page = textOf(await (await b.follow(res)).text())
    expect(page).toContain('The organization has been created.')
    // The dashboard's heading is the org's name, so the header doesn't repeat it (issue 16): shown once
    // besides the window's title.
    const html = await (await b.get('/o/biuro-rachunkowe-lodz-sp-z-o-o')).text()
    expect(html).toContain('<h1>Biuro Rachunkowe Łódź Sp. z o.o.</h1>')
    expect(textOf(html.replace(/<title>.*?<\/title>/s, '')).split('Biuro Rachunkowe Łódź Sp. z o.o.')).toHaveLength(2)
    expect(page).toContain('774-000-14-54')
  })

  it('sends a user with exactly one org straight to it from the home page', async () => {
    const { b } = await signedIn('one-org@example.com')
    const slug = await createCompany(b, { ...company, taxId: '5252674798', name: 'Allegro Test' })
    expect((await b.get('/')).headers.get('Location')).toBe(`/o/${slug}`)
  })

  describe('refuses bad company data with a message next to the field and writes nothing', () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['a company without a tax id', { taxId: '' }, 'taxId', 'need a tax id'],
      ['a NIP with a wrong check digit', { taxId: '7740001455' }, 'taxId', 'not a valid tax id'],
      ['a country outside the EU', { country: 'US' }, 'country', 'Choose a country of the European Union.'],
      ['an unknown legal form', { legalForm: 'llc' }, 'legalForm', 'Choose company, sole trader or private person.'],
      ['a malformed billing e-mail', { billingEmail: 'faktury' }, 'billingEmail', 'Enter a valid e-mail address'],
      ['an empty city', { city: ' ' }, 'city', 'Enter the city.'],
      ['an Italian company without SDI code or PEC', { country: 'IT', taxId: '00905811006' }, 'einvoiceId', 'SDI recipient code'],
      ['an SDI code of 6 characters', { country: 'IT', taxId: '00905811006', einvoiceId: 'ABC123' }, 'einvoiceId', 'Enter an SDI recipient code of 7'],
      ['a 201-character name', { name: 'x'.repeat(201) }, 'name', 'This is too long.'],
    ]
    for (const [what, change, field, message] of cases) {
      it(what, async () => {
        const { b } = await signedIn(`bad-${field}-${Math.random().toString(36).slice(2)}@example.com`)
        const before = await counts()
        const res = await b.post('/orgs', { ...company, ...change })
        expect(res.status).toBe(422)
        const html = await res.text()
        expect(html).toMatch(new RegExp(`id="f-${field}-error">[^<]*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
        expect(await counts()).toEqual(before)
      })
    }
  })

  describe('Italian users get Italy, not Poland, and a tax id of another EU country says which (issue 16, rule 8)', () => {
    async function reader(email: string, language: 'en' | 'pl' | 'it') {
      await createUser(t.deps, { email, language })
      const b = t.browser()
      await b.post('/login', { email, password: PASSWORD })
      return b
    }
    const chosen = (html: string) => /<option value="([A-Z]{2})" selected/.exec(html.slice(html.indexOf('id="f-country"')))?.[1]

    it('starts the country from the reader’s language, then from the browser’s Accept-Language', async () => {
      const it_ = await reader('country-it@example.com', 'it')
      expect(chosen(await (await it_.get('/orgs/new')).text())).toBe('IT')
      expect(chosen(await (await it_.get('/orgs/new/details')).text())).toBe('IT')
      const pl = await reader('country-pl@example.com', 'pl')
      expect(chosen(await (await pl.get('/orgs/new', { 'Accept-Language': 'it-IT,it;q=0.9' })).text())).toBe('PL')
      const en = await reader('country-en@example.com', 'en')
      expect(chosen(await (await en.get('/orgs/new', { 'Accept-Language': 'en-IE,en;q=0.9' })).text())).toBe('IE')
      expect(chosen(await (await en.get('/orgs/new', { 'Accept-Language': 'de-AT,de;q=0.9,en;q=0.8' })).text())).toBe('AT')
      expect(chosen(await (await en.get('/orgs/new', { 'Accept-Language': 'en-US,en;q=0.9,cs;q=0.5' })).text())).toBe('CZ')
      expect(chosen(await (await en.get('/orgs/new', { 'Accept-Language': 'en-US,en;q=0.9' })).text())).toBe('PL')
      // A country the reader chose is kept.
      expect(chosen(await (await it_.get('/orgs/new/details?country=FR')).text())).toBe('FR')
    })

    it('names the country a refused tax id is valid in, in the reader’s language, and writes nothing', async () => {
      const b = await reader('partita-iva@example.com', 'it')
      const before = await counts()
      const step = await b.post('/orgs/new', { country: 'PL', taxId: '00743110157' })
      expect(step.status).toBe(422)
      expect(textOf(await step.text())).toContain(
        'Questo non è un identificativo fiscale valido per il paese scelto. Controlla le cifre. È un numero fiscale valido per: Italia. Scegli quel paese qui sopra.',
      )
      const en = await reader('vat-de@example.com', 'en')
      const form = await en.post('/orgs', { ...company, name: 'Siemens Test', taxId: 'DE136695976' })
      expect(form.status).toBe(422)
      expect(await form.text()).toMatch(/id="f-taxId-error">[^<]*Check the digits\. It is a valid tax id in Germany: choose that country above\.</)
      // Bare digits valid in two countries name both; digits valid nowhere just say the digits are wrong.
      const two = textOf(await (await en.post('/orgs/new', { country: 'PL', taxId: '123456789' })).text())
      expect(two).toContain('It is a valid tax id in Portugal or Romania: choose that country above.')
      const none = textOf(await (await en.post('/orgs/new', { country: 'IT', taxId: '12345678901' })).text())
      expect(none).toContain('This is not a valid tax id for the chosen country. Check the digits.')
      expect(none).not.toContain('valid tax id in')
      expect(await counts()).toEqual(before)
    })
  })

  it('accepts an Italian company with an SDI code, and a private person without a tax id', async () => {
    const { b } = await signedIn('italia@example.com')
    const slug = await createCompany(b, { ...company, name: 'Eni Test', country: 'IT', taxId: '00905811006', einvoiceId: 'm5uxcr1' })
    expect(await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get()).toMatchObject({ taxId: 'IT00905811006', einvoiceId: 'M5UXCR1', timeZone: 'Europe/Rome' })
    const person = await createCompany(b, { ...company, name: 'Maria Rossi', legalForm: 'person', taxId: '', country: 'IT' })
    expect(await t.db.select().from(orgs).where(eq(orgs.slug, person)).get()).toMatchObject({ taxId: null, legalForm: 'person' })
  })

  it('refuses a tax id that a live org already has (however it is spelled) with 409, offering to join it instead', async () => {
    const { b } = await signedIn('second@example.com')
    const before = await counts()
    const res = await b.post('/orgs', { ...company, name: 'Copycat', taxId: 'PL 774 000 14 54' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(textOf(html)).toContain('Your company already has an account')
    expect(textOf(html)).toContain('Biuro Rachunkowe Łódź Sp. z o.o. already uses this panel.')
    expect(html).toContain('<input type="hidden" name="taxId" value="PL7740001454"/>')
    expect(await counts()).toEqual(before)
  })

  it('frees the tax id of a deleted org', async () => {
    const { b } = await signedIn('reborn@example.com')
    const slug = await createCompany(b, { ...company, name: 'Short Lived', taxId: '1132853869' })
    await t.db.update(orgs).set({ deletedAt: t.clock.now() }).where(eq(orgs.slug, slug))
    await createCompany(b, { ...company, name: 'Reborn', taxId: '1132853869' })
  })
})

describe('tenant isolation', () => {
  it('answers another org’s pages exactly like a missing org (404) and changes nothing', async () => {
    const owner = await signedIn('owner@example.com')
    const slug = await createCompany(owner.b, { ...company, name: 'Private Co', taxId: '9512345675' })
    const stranger = await signedIn('stranger@example.com')
    const before = JSON.stringify(await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())
    for (const path of [`/o/${slug}`, `/o/${slug}/settings/company`, `/o/${slug}/history`]) {
      const theirs = await stranger.b.get(path)
      const missing = await stranger.b.get(path.replace(slug, 'no-such-org'))
      expect(theirs.status).toBe(404)
      expect(missing.status).toBe(404)
      expect(textOf(await theirs.text())).toBe(textOf(await missing.text()))
    }
    const post = await stranger.b.post(`/o/${slug}/settings/company`, { ...company, name: 'Hijacked', taxId: '9512345675' })
    expect(post.status).toBe(404)
    expect(JSON.stringify(await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())).toBe(before)
  })
})

describe('company data', () => {
  it('is edited by an administrator; the history records what changed', async () => {
    const { b } = await signedIn('editor@example.com')
    const slug = await createCompany(b, { ...company, name: 'Edit Me', taxId: '5213017228' })
    const form = await b.get(`/o/${slug}/settings/company`)
    expect(await form.text()).toContain('value="521-301-72-28"')
    const res = await b.post(`/o/${slug}/settings/company`, { ...company, name: 'Edited', taxId: '5213017228', city: 'Kraków' })
    expect(res.status).toBe(303)
    const org = await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get()
    expect(org).toMatchObject({ name: 'Edited', city: 'Kraków' })
    const rows = await t.db.select().from(history).where(eq(history.orgId, org!.id)).orderBy(history.id)
    expect(rows.map((r) => r.kind)).toEqual(['org.created', 'org.updated'])
    expect(rows[1]!.details).toEqual({ name: { from: 'Edit Me', to: 'Edited' }, city: { from: 'Łódź', to: 'Kraków' } })
    const page = textOf(await (await b.get(`/o/${slug}/history`)).text())
    expect(page).toContain('Company data changed: name Edit Me → Edited, city Łódź → Kraków')
  })

  it('is refused to a plain member with 403, on the form and on the post, and nothing changes', async () => {
    const admin = await signedIn('boss@example.com')
    const slug = await createCompany(admin.b, { ...company, name: 'Members Co', taxId: '6462933516' })
    const org = await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get()
    const member = await signedIn('worker@example.com')
    await t.db.insert(memberships).values({ orgId: org!.id, userId: member.user.id, role: 'member', createdAt: t.clock.now() })
    expect((await member.b.get(`/o/${slug}`)).status).toBe(200)
    for (const path of [`/o/${slug}/settings/company`, `/o/${slug}/history`]) {
      const res = await member.b.get(path)
      expect(res.status).toBe(403)
      expect(textOf(await res.text())).toContain('Only an administrator of this organization can do this.')
    }
    const post = await member.b.post(`/o/${slug}/settings/company`, { ...company, name: 'Nope', taxId: '6462933516' })
    expect(post.status).toBe(403)
    expect((await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!.name).toBe('Members Co')
  })
})

describe('operation history', () => {
  it('is append-only: the database refuses to change or delete a row', async () => {
    const [row] = await t.db.select().from(history).limit(1)
    await expect(t.db.update(history).set({ kind: 'forged' }).where(eq(history.id, row!.id))).rejects.toThrow()
    await expect(t.db.delete(history).where(eq(history.id, row!.id))).rejects.toThrow()
    await expect(t.db.run(sql`delete from history`)).rejects.toThrow()
    expect((await t.db.select().from(history).where(eq(history.id, row!.id)).get())!.kind).toBe(row!.kind)
  })
})
