// The vendor API from a vendor app's side: an org with products and an API key, and calls with it.
import { eq } from 'drizzle-orm'
import { orgs } from '../../src/db/schema'
import type { TestApp } from './app'
import { createUser, nextNip, PASSWORD } from './users'

/** A new org (its admin signed in as `b`) holding `products`, with an API key made on its settings page. */
export async function orgWithKey(t: TestApp, email: string, products: string[] = ['sekretariat', 'certyfikaty']) {
  const user = await createUser(t.deps, { email })
  const b = t.browser()
  await b.post('/login', { email, password: PASSWORD })
  const res = await b.post('/orgs', {
    name: `API ${email}`,
    country: 'PL',
    legalForm: 'company',
    taxId: nextNip(),
    addressLine: 'ul. Cicha 4',
    postalCode: '00-004',
    city: 'Warszawa',
    billingEmail: email,
  })
  const slug = res.headers.get('Location')!.replace('/o/', '')
  for (const product of products) await b.post(`/o/${slug}/subscriptions`, { product })
  const page = await (await b.post(`/o/${slug}/api-keys`, { name: 'ERP' })).text()
  const key = /<code class="key big">(kon_[a-z0-9]+)<\/code>/.exec(page)![1]!
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
  return { user, b, slug, key, org }
}

/** A call to /api/v1 as a vendor app makes it: JSON, with the key when given (a string body is sent as is). */
export function apiCall(t: TestApp, key: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return t.app.request(`http://localhost/api/v1${path}`, {
    method,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
}
