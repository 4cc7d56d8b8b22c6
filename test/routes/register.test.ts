import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { consents, emailTokens, outbox, users } from '../../src/db/schema'
import { HOUR } from '../../src/clock'
import { testApp, textOf } from '../helpers/app'
import { createUser, linkIn } from '../helpers/users'
import { opened, openedAll } from '../helpers/mail'

const t = await testApp()

const valid = {
  name: 'Zofia Łęcka',
  email: 'Zofia@Example.com',
  password: 'pierogi z jagodami',
  language: 'pl',
  terms: 'on',
  privacy: 'on',
}

async function count(table: typeof users | typeof outbox | typeof consents | typeof emailTokens) {
  return (await t.db.select().from(table)).length
}

describe('registration', () => {
  it('creates an inactive account, stores the consents with versions and times, and queues the activation mail in the chosen language', async () => {
    const b = t.browser()
    const res = await b.post('/register', { ...valid, marketing: 'on' })
    expect(res.status).toBe(200)
    expect(textOf(await res.text())).toContain('zofia@example.com')
    const user = await t.db.select().from(users).where(eq(users.email, 'zofia@example.com')).get()
    expect(user).toMatchObject({ name: 'Zofia Łęcka', language: 'pl', activatedAt: null })
    expect(user!.passwordHash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/) // the tests' cost (KONTOR_ENV=test): production's is in test/domain/passwords.test.ts
    const accepted = await t.db.select().from(consents).where(eq(consents.userId, user!.id))
    expect(accepted.map((c) => [c.kind, c.version, c.acceptedAt.toISOString()]).sort()).toEqual([
      ['marketing', '2026-11', '2026-11-02T09:00:00.000Z'],
      ['privacy', '2026-11', '2026-11-02T09:00:00.000Z'],
      ['terms', '2026-11', '2026-11-02T09:00:00.000Z'],
    ])
    const mail = await opened(t, await t.db.select().from(outbox).where(eq(outbox.to, 'zofia@example.com')).get())
    expect(mail).toMatchObject({ template: 'account.activation', language: 'pl', status: 'pending' })
    expect(mail!.subject).toBe('Aktywuj swoje konto w Kontor')
    // A button, and the same link printed below it (as its text and its href) for mail clients that hide buttons.
    const link = linkIn(mail!.text, '/activate/')
    expect(mail!.html.split(`http://localhost${link}`).length - 1).toBe(3)
    expect(mail!.html).toContain(`>http://localhost${link}</a>`)
    expect(mail!.html).toContain('>Aktywuj konto</a>')
  })

  it('never stores the password or a link token in clear', async () => {
    const dump = JSON.stringify([await t.db.select().from(users), await t.db.select().from(emailTokens)])
    expect(dump).not.toContain(valid.password)
    const mail = await opened(t, await t.db.select().from(outbox).where(eq(outbox.to, 'zofia@example.com')).get())
    const token = linkIn(mail!.text, '/activate/').split('/').pop()!
    expect(dump).not.toContain(token)
  })

  it('does not store marketing consent unless the box is ticked', async () => {
    await t.browser().post('/register', { ...valid, email: 'no-news@example.com' })
    const user = await t.db.select().from(users).where(eq(users.email, 'no-news@example.com')).get()
    const kinds = (await t.db.select().from(consents).where(eq(consents.userId, user!.id))).map((c) => c.kind).sort()
    expect(kinds).toEqual(['privacy', 'terms'])
  })

  it('answers an already registered address exactly as a new one, and tells the owner instead', async () => {
    await createUser(t.deps, { email: 'taken@example.com', language: 'it' })
    const before = await count(users)
    const res = await t.browser().post('/register', { ...valid, email: 'taken@example.com' })
    const fresh = await t.browser().post('/register', { ...valid, email: 'fresh@example.com' })
    expect(res.status).toBe(fresh.status)
    expect((await res.text()).replaceAll('taken@example.com', 'X')).toBe((await fresh.text()).replaceAll('fresh@example.com', 'X'))
    expect(await count(users)).toBe(before + 1)
    const mails = await t.db.select().from(outbox).where(eq(outbox.to, 'taken@example.com'))
    expect(mails.map((m) => [m.template, m.language])).toEqual([['account.existing', 'it']])
  })

  describe('refuses bad input with a message next to the field and writes nothing', () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['a malformed e-mail', { email: 'not-an-email' }, 'email', 'Enter a valid e-mail address'],
      ['a 7-character password', { password: 'abcdefg' }, 'password', 'Use at least 8 characters.'],
      ['a 257-character password', { password: 'a'.repeat(257) }, 'password', 'Use at most 256 characters.'],
      ['one of the most common passwords', { password: 'Password1' }, 'password', 'among the most common'],
      ['a 101-character name', { name: 'x'.repeat(101) }, 'name', 'at most 100 characters'],
      ['an empty name', { name: '   ' }, 'name', 'Enter your full name.'],
      ['no terms of service', { terms: '' }, 'terms', 'accept the terms of service'],
      ['no privacy notice', { privacy: '' }, 'privacy', 'accept the privacy notice'],
      ['an unknown language', { language: 'de' }, 'language', 'Choose English, Polish or Italian.'],
    ]
    for (const [what, change, field, message] of cases) {
      it(what, async () => {
        const before = [await count(users), await count(outbox), await count(consents)]
        const form = Object.fromEntries(Object.entries({ ...valid, email: 'bad@example.com', ...change }).filter(([, v]) => v !== ''))
        const res = await t.browser().post('/register', form)
        expect(res.status).toBe(422)
        const html = await res.text()
        expect(html).toMatch(new RegExp(`id="f-${field}-error">[^<]*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
        expect(html).toContain(`aria-invalid="true"`)
        expect(html).not.toContain('value="' + (change.password ?? valid.password) + '"')
        expect([await count(users), await count(outbox), await count(consents)]).toEqual(before)
      })
    }
  })

  it('accepts a 256-character password and counts characters, not bytes', async () => {
    const res = await t.browser().post('/register', { ...valid, email: 'long@example.com', password: 'ż'.repeat(256) })
    expect(res.status).toBe(200)
    expect(await t.db.select().from(users).where(eq(users.email, 'long@example.com')).get()).toBeTruthy()
  })
})

describe('activation', () => {
  async function registerAndGetLink(email: string) {
    await t.browser().post('/register', { ...valid, email })
    const mail = await opened(t, await t.db.select().from(outbox).where(eq(outbox.to, email)).get())
    return linkIn(mail!.text, '/activate/')
  }

  it('shows a confirmation page, activates once, then refuses the used link', async () => {
    const link = await registerAndGetLink('act@example.com')
    const b = t.browser()
    const page = await b.get(link)
    expect(page.status).toBe(200)
    expect(textOf(await page.text())).toContain('act@example.com')
    // GET alone activates nothing: mail scanners open links.
    expect((await t.db.select().from(users).where(eq(users.email, 'act@example.com')).get())!.activatedAt).toBeNull()
    const done = await b.post(link)
    expect(done.status).toBe(303)
    expect(done.headers.get('Location')).toBe('/login')
    expect(textOf(await (await b.follow(done)).text())).toContain('Your account is active')
    expect((await t.db.select().from(users).where(eq(users.email, 'act@example.com')).get())!.activatedAt).toEqual(t.clock.now())
    const again = await b.post(link)
    expect(again.status).toBe(404)
    expect(textOf(await again.text())).toContain('already used or expired')
  })

  it('refuses a link older than 48 hours', async () => {
    const link = await registerAndGetLink('late@example.com')
    t.clock.advance(48 * HOUR + 1000)
    expect((await t.browser().get(link)).status).toBe(404)
    expect((await t.browser().post(link)).status).toBe(404)
    expect((await t.db.select().from(users).where(eq(users.email, 'late@example.com')).get())!.activatedAt).toBeNull()
    t.clock.set('2026-11-02T09:00:00Z')
  })

  it('refuses a forged link', async () => {
    const res = await t.browser().post('/activate/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')
    expect(res.status).toBe(404)
  })

  it('sends the activation e-mail again with a new link, answering the same for unknown addresses', async () => {
    await registerAndGetLink('again@example.com')
    const known = await t.browser().post('/activation/resend', { email: 'again@example.com' })
    const unknown = await t.browser().post('/activation/resend', { email: 'nobody@example.com' })
    expect(known.status).toBe(200)
    expect((await known.text()).replaceAll('again@example.com', 'X')).toBe((await unknown.text()).replaceAll('nobody@example.com', 'X'))
    const mails = await openedAll(t, await t.db.select().from(outbox).where(eq(outbox.to, 'again@example.com')))
    expect(mails).toHaveLength(2)
    expect(linkIn(mails[0]!.text, '/activate/')).not.toBe(linkIn(mails[1]!.text, '/activate/'))
    expect(await t.db.select().from(outbox).where(eq(outbox.to, 'nobody@example.com'))).toHaveLength(0)
  })

  it('re-registering an address that is not activated yet sends a fresh activation link, answering exactly as a new registration (issue 16, rule 7)', async () => {
    const first = await registerAndGetLink('twice@example.com')
    const res = await t.browser().post('/register', { ...valid, email: 'twice@example.com', name: 'Someone Else', password: 'another password here' })
    const fresh = await t.browser().post('/register', { ...valid, email: 'fresh-twice@example.com' })
    expect(res.status).toBe(fresh.status)
    expect((await res.text()).replaceAll('twice@example.com', 'X')).toBe((await fresh.text()).replaceAll('fresh-twice@example.com', 'X'))
    const mails = await openedAll(t, await t.db.select().from(outbox).where(eq(outbox.to, 'twice@example.com')).orderBy(outbox.createdAt))
    expect(mails.map((m) => [m.template, m.language, m.subject])).toEqual([
      ['account.activation', 'pl', 'Aktywuj swoje konto w Kontor'],
      ['account.activation', 'pl', 'Aktywuj swoje konto w Kontor'],
    ])
    // Not "someone tried to create an account": a new link, and a word on which password counts.
    expect(mails[1]!.text).toContain('Zofia Łęcka')
    expect(mails[1]!.text).toContain('Twoje konto czeka na aktywację')
    const second = linkIn(mails[1]!.text, '/activate/')
    expect(second).not.toBe(first)
    // The account keeps its first name and password: registering again can't take over an address.
    const b = t.browser()
    expect((await b.post(second)).status).toBe(303)
    const user = await t.db.select().from(users).where(eq(users.email, 'twice@example.com')).get()
    expect(user).toMatchObject({ name: 'Zofia Łęcka', activatedAt: t.clock.now() })
    expect((await t.browser().post('/login', { email: 'twice@example.com', password: 'another password here' })).status).toBe(401)
    expect((await t.browser().post('/login', { email: 'twice@example.com', password: valid.password })).status).toBe(303)
  })

  it('counts registering again within the 5 activation links an hour of "send it again", answering the same page', async () => {
    await registerAndGetLink('again-and-again@example.com')
    for (let i = 0; i < 3; i++) expect((await t.browser().post('/activation/resend', { email: 'again-and-again@example.com' })).status).toBe(200)
    for (let i = 0; i < 3; i++) expect((await t.browser().post('/register', { ...valid, email: 'again-and-again@example.com' })).status).toBe(200)
    // The first registration's mail, then 5 links within the address's limit; the sixth attempt sends nothing.
    const mails = await t.db.select().from(outbox).where(eq(outbox.to, 'again-and-again@example.com'))
    expect(mails.map((m) => m.template)).toEqual(Array(6).fill('account.activation'))
  })

  it('sends at most 5 activation e-mails an hour to one address, then answers 429', async () => {
    await registerAndGetLink('flood@example.com')
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await t.browser().post('/activation/resend', { email: 'flood@example.com' })).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    expect(await t.db.select().from(outbox).where(eq(outbox.to, 'flood@example.com'))).toHaveLength(6)
  })
})
