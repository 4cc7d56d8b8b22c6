// The foundation flow a person takes on the Worker, shared by the Worker tests (worker.test.ts, and
// latency.test.ts far from its database): register → activate from the e-mail → sign in → account page.
import { expect } from 'vitest'
import { eq } from 'drizzle-orm'
import type { Db } from '../../src/db/client'
import { outbox } from '../../src/db/schema'
import { textOf, type Browser } from '../helpers/app'
import { linkIn } from '../helpers/users'
import { opened } from '../helpers/mail'
import { DEVELOPMENT_ECODE_SECRETS } from '../../src/config'

export async function registerActivateSignIn(b: Browser, db: Db, origin: string, person: { name: string; email: string; password: string }) {
  const { name, email, password } = person
  const registered = await b.post('/register', { name, email, password, language: 'en', terms: 'on', privacy: 'on' })
  expect(registered.status).toBe(200)
  expect(textOf(await registered.text())).toContain(email)

  // Sealed in workerd (the Worker runs on the development keys), opened here as the mail job would.
  const mail = await opened({ config: { ecodeSecrets: DEVELOPMENT_ECODE_SECRETS } }, await db.select().from(outbox).where(eq(outbox.to, email)).get())
  expect(mail).toMatchObject({ template: 'account.activation', status: 'pending', sealed: true })
  expect(mail!.text).toContain(`${origin}/activate/`)
  const activated = await b.post(linkIn(mail!.text, '/activate/'))
  expect(activated.status).toBe(303)
  expect(activated.headers.get('Location')).toBe('/login')

  const signedIn = await b.post('/login', { email, password })
  expect(signedIn.status).toBe(303)
  expect(signedIn.headers.get('Location')).toBe('/account')
  // Plain http on 127.0.0.1: the cookie drops Secure and the __Host- prefix (src/auth/cookie.ts).
  expect(b.cookies.has('kontor_session')).toBe(true)
  const account = await b.get('/account')
  expect(account.status).toBe(200)
  const html = await account.text()
  expect(textOf(html)).toContain(`E-mail: ${email}`)
  expect(html).toContain(`value="${name}"`)
}
