// Operators in tests: an account with the operator flag, signed in through the password and the
// authenticator set-up, as a person does it (SPEC §15).
import { expect } from 'vitest'
import { decodeKey, totpAt } from '../../src/auth/totp'
import type { TestApp } from './app'
import { createUser, PASSWORD } from './users'


/** Signs an operator in with the password and sets up the authenticator; returns the browser, key and recovery code. */
export async function operatorWithAuthenticator(t: TestApp, email: string, name?: string) {
  const user = await createUser(t.deps, { email, name, operator: true })
  const b = t.browser()
  const res = await b.post('/login', { email, password: PASSWORD })
  expect(res.headers.get('Location')).toBe('/login/2fa/setup')
  const setup = await (await b.follow(res)).text()
  const key = /name="key" value="([^"]+)"/.exec(setup)![1]!
  const done = await b.post('/login/2fa/setup', { key, code: totpAt(decodeKey(key), t.clock.now()) })
  expect(done.status).toBe(200)
  const recovery = /<code class="key big">([^<]+)<\/code>/.exec(await done.text())![1]!
  return { user, b, key, recovery }
}
