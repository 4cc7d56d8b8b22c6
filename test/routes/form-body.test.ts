// Form bodies that can't be read (issue 15): a broken multipart envelope, invalid UTF-8 and bad
// percent-escapes are refused with a 400 page that says so, and nothing is stored; what browsers
// really send (escaped percent signs, `+` for spaces, letters beyond ASCII) still arrives as typed.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { orgs, statements, users } from '../../src/db/schema'
import { testApp, textOf, type Browser } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { signedIn } from '../helpers/users'
import { bytes } from '../helpers/bytes'

const t = await testApp()

const post = (b: Browser, path: string, contentType: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  b.send(path, { method: 'POST', body, headers: { 'Content-Type': contentType, Origin: t.config.baseUrl, ...headers } })
const urlencoded = 'application/x-www-form-urlencoded'
const nameOf = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)).get())!.name

const BAD_REQUEST = 'The form could not be read What your browser sent is not a form we can read: it is damaged or not valid UTF-8 text. Nothing was saved.'

describe('a form body that cannot be read', () => {
  it('a multipart body whose boundary is not the one the header names answers 400 with a page saying so, not 500', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'boundary@example.com')
    const body = bytes('--other\r\nContent-Disposition: form-data; name="name"\r\n\r\nRenamed\r\n--other--\r\n')
    const res = await post(b, `/o/${slug}/settings/company`, 'multipart/form-data; boundary=declared', body)
    expect(res.status).toBe(400)
    expect(textOf(await res.text())).toContain(BAD_REQUEST)
    expect((await t.db.select().from(orgs).where(eq(orgs.id, org.id)).get())!.name).toBe(org.name)
    // A visitor gets the same, in the language the browser asks for.
    const login = await post(t.browser(), '/login', 'multipart/form-data', body, { 'Accept-Language': 'pl' })
    expect(login.status).toBe(400)
    expect(textOf(await login.text())).toContain('Nie udało się odczytać formularza')
  })

  it('the statement upload, read after its own limit, answers 400 for a broken envelope too', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'upload-boundary@example.com')
    const res = await post(b, `/o/${slug}/statements`, 'multipart/form-data; boundary=x', bytes('--x\r\nContent-Disposition: form-data; name="file"; filename="s.pdf"\r\n\r\n%PDF-1.4'))
    expect(res.status).toBe(400)
    expect(await t.db.select().from(statements).where(eq(statements.orgId, org.id))).toEqual([])
  })

  const refused: [string, Uint8Array<ArrayBuffer>][] = [
    ['invalid UTF-8 sent as raw bytes', bytes('language=en&name=Jan', [0xc0, 0xaf], ' Nowak')],
    ['percent-escapes that spell bytes which are not UTF-8', bytes('language=en&name=Jan%FF%FE')],
    ['a cut-off UTF-8 sequence', bytes('language=en&name=Jan%E2%82')],
    ['an escaped surrogate', bytes('language=en&name=%ED%A0%80')],
    ['a bad percent-escape', bytes('language=en&name=50%zz')],
    ['a lone percent sign at the end', bytes('language=en&name=Jan%')],
  ]
  for (const [what, body] of refused) {
    it(`${what} in an urlencoded form answers 400 and stores nothing (never U+FFFD)`, async () => {
      const { user, b } = await signedIn(t, `${what.replace(/\W+/g, '-')}@example.com`, { name: 'Before' })
      const res = await post(b, '/account/profile', urlencoded, body)
      expect(res.status).toBe(400)
      expect(textOf(await res.text())).toContain(BAD_REQUEST)
      expect(await nameOf(user.id)).toBe('Before')
    })
  }

  it('text that is not UTF-8 in a multipart field answers 400; a U+FFFD the sender really typed is kept', async () => {
    const { user, b } = await signedIn(t, 'multipart-utf8@example.com', { name: 'Before' })
    const part = (name: string, value: (string | number[])[]) => [`--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`, ...value, '\r\n']
    const broken = bytes(...part('language', ['en']), ...part('name', ['Jan ', [0xff], ' Nowak']), '--b--\r\n')
    expect((await post(b, '/account/profile', 'multipart/form-data; boundary=b', broken)).status).toBe(400)
    expect(await nameOf(user.id)).toBe('Before')
    const typed = bytes(...part('language', ['en']), ...part('name', ['Jan \uFFFD Nowak']), '--b--\r\n')
    expect((await post(b, '/account/profile', 'multipart/form-data; boundary=b', typed)).status).toBe(200)
    expect(await nameOf(user.id)).toBe('Jan \uFFFD Nowak')
  })

  it('what browsers send still arrives as typed: escaped percent signs, + for spaces, letters beyond ASCII', async () => {
    const { user, b } = await signedIn(t, 'typed@example.com')
    const res = await post(b, '/account/profile', urlencoded, bytes('language=en&name=Zo%C3%AB+%C5%81%C3%B3d%C5%BA+50%25+a%2Bb&&empty'))
    expect(res.status).toBe(200)
    expect(await nameOf(user.id)).toBe('Zoë Łódź 50% a+b')
    // Raw UTF-8 (not escaped) is read as well.
    expect((await post(b, '/account/profile', urlencoded, bytes('language=en&name=Zoë Łódź'))).status).toBe(200)
    expect(await nameOf(user.id)).toBe('Zoë Łódź')
  })

  it('a body over the form limit is still a 413, not a 400', async () => {
    const { b } = await signedIn(t, 'huge@example.com')
    const res = await post(b, '/account/profile', urlencoded, bytes(`${'n'.repeat(70_000)}=1`))
    expect(res.status).toBe(413)
  })
})
