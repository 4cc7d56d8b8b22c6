// Names and other text people read refuse invisible characters (issue 15, src/forms/text.ts): NUL,
// BEL and other control characters, line breaks in one-line fields, and the bidi overrides and
// isolates that make a name read as something else. A voucher's message keeps its line breaks.
import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { apiKeys, ecodes, orgs, users } from '../../src/db/schema'
import { testApp, textOf } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { issueCodes } from '../helpers/ecodes'
import { signedIn } from '../helpers/users'

const t = await testApp()
await t.seedCatalog()

const ONE_LINE = 'Remove the invisible characters from this text: line breaks, tabs, control characters or text-direction overrides.'
const MULTI_LINE = 'Remove the invisible characters from this text: tabs, control characters or text-direction overrides. Line breaks are fine.'

/** What an attacker types: each is refused in a name, wherever it sits. */
const UNSAFE: [string, string][] = [
  ['NUL', 'Jan\u0000Nowak'],
  ['BEL', 'Jan\u0007Nowak'],
  ['a line break', 'Jan\nNowak'],
  ['a tab', 'Jan\tNowak'],
  ['a C1 control (NEL)', 'Jan\u0085Nowak'],
  ['DEL', 'Jan\u007fNowak'],
  ['a right-to-left override', 'Invoice \u202Efdp.exe'],
  ['a left-to-right embedding', '\u202aACME'],
  ['a first-strong isolate', 'ACME\u2068 Ltd\u2069'],
]

describe('names refuse control characters and text-direction overrides', () => {
  for (const [what, name] of UNSAFE) {
    it(`a person's name with ${what} is refused next to the field (422) and not saved`, async () => {
      const { user, b } = await signedIn(t, `name-${what.replace(/\W+/g, '-')}@example.com`, { name: 'Before' })
      const res = await b.post('/account/profile', { name, language: 'en' })
      expect(res.status).toBe(422)
      const html = await res.text()
      expect(html).toContain('id="f-name-error"')
      expect(textOf(html)).toContain(ONE_LINE)
      expect((await t.db.select().from(users).where(eq(users.id, user.id)).get())!.name).toBe('Before')
    })
  }

  it('registration refuses such a name, in the visitor’s language, and creates no account', async () => {
    const res = await t.browser().post(
      '/register',
      { name: 'Zofia\u202eakceŁ', email: 'rlo@example.com', password: 'pierogi z jagodami', language: 'pl', terms: 'on', privacy: 'on' },
      { 'Accept-Language': 'pl' },
    )
    expect(res.status).toBe(422)
    expect(textOf(await res.text())).toContain('Usuń z tego tekstu niewidoczne znaki')
    expect(await t.db.select().from(users).where(eq(users.email, 'rlo@example.com')).get()).toBeUndefined()
  })

  it('an org name (new or edited), an address line and an API key name refuse them too', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'org-names@example.com')
    const company = { name: 'ACME\u0007', country: 'PL', legalForm: 'person', taxId: '', addressLine: 'ul. Polna 3', postalCode: '00-003', city: 'Warszawa', billingEmail: 'org-names@example.com' }
    const created = await b.post('/orgs', company)
    expect(created.status).toBe(422)
    expect(await created.text()).toContain('id="f-name-error"')
    const edited = await b.post(`/o/${slug}/settings/company`, { ...company, name: 'Renamed', addressLine: 'ul. Polna 3\r\nBcc: someone' })
    expect(edited.status).toBe(422)
    expect(await edited.text()).toContain('id="f-addressLine-error"')
    expect((await t.db.select().from(orgs).where(eq(orgs.id, org.id)).get())!.name).toBe(org.name)
    const key = await b.post(`/o/${slug}/api-keys`, { name: 'ERP\u202e' })
    expect(key.status).toBe(422)
    expect(textOf(await key.text())).toContain(ONE_LINE)
    expect(await t.db.select().from(apiKeys).where(eq(apiKeys.orgId, org.id))).toEqual([])
  })

  it('a voucher keeps the line breaks of its message, but refuses them in the recipient’s name, and an override in either', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'voucher-names@example.com')
    await issueCodes(t, org, 'signature-1y', 1)
    const code = (await t.db.select().from(ecodes).where(eq(ecodes.orgId, org.id)).get())!
    const path = `/o/${slug}/ecodes/${code.id}/personalization`
    const nameBreak = await b.post(path, { recipientName: 'Anna\nKowalska', message: '' })
    expect(nameBreak.status).toBe(422)
    expect(textOf(await nameBreak.text())).toContain(ONE_LINE)
    const messageOverride = await b.post(path, { recipientName: 'Anna Kowalska', message: 'Happy birthday \u202eevil' })
    expect(messageOverride.status).toBe(422)
    expect(textOf(await messageOverride.text())).toContain(MULTI_LINE)
    expect(await t.db.select().from(ecodes).where(and(eq(ecodes.id, code.id), eq(ecodes.recipientName, 'Anna Kowalska'))).get()).toBeUndefined()

    const saved = await b.post(path, { recipientName: 'Anna Kowalska', message: 'Happy birthday,\r\nAnna!\nFrom all of us' })
    expect(saved.status).toBe(303)
    expect(await t.db.select().from(ecodes).where(eq(ecodes.id, code.id)).get()).toMatchObject({ recipientName: 'Anna Kowalska', message: 'Happy birthday,\r\nAnna!\nFrom all of us' })
  })

  it('letters of every script, marks and emoji are still names', async () => {
    const { user, b } = await signedIn(t, 'letters@example.com')
    for (const name of ['Zoë Łęcka-Żółć', 'محمد علي', 'O’Brien & Søn', '李小龙 🐉']) {
      expect((await b.post('/account/profile', { name, language: 'en' })).status).toBe(200)
      expect((await t.db.select().from(users).where(eq(users.id, user.id)).get())!.name).toBe(name)
    }
  })
})
