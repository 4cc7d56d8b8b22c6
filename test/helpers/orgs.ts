// An administrator with an org created through the form, for tests that buy or manage things.
import { eq } from 'drizzle-orm'
import { orgs } from '../../src/db/schema'
import type { TestApp } from './app'
import { createUser, nextNip, PASSWORD } from './users'

type OrgOptions = {
  legalForm?: 'company' | 'sole_trader' | 'person'
  country?: 'PL' | 'IT' | 'DE'
  taxId?: string
  einvoiceId?: string
  billingEmail?: string
  language?: 'en' | 'pl' | 'it'
  /** An Italian person's codice fiscale, stored as step 3 of the checkout stores it. */
  codiceFiscale?: string
}

/** Valid Italian and German VAT numbers for buyers from those countries. */
export const IT_VAT = '00743110157'
export const DE_VAT = '136695976'

export async function adminWithOrg(t: TestApp, email: string, opts: OrgOptions = {}) {
  const user = await createUser(t.deps, { email, name: email.split('@')[0], language: opts.language })
  const b = t.browser()
  await b.post('/login', { email, password: PASSWORD })
  const legalForm = opts.legalForm ?? 'company'
  const country = opts.country ?? 'PL'
  const res = await b.post('/orgs', {
    name: `Org of ${email}`,
    country,
    legalForm,
    taxId: legalForm === 'person' ? '' : (opts.taxId ?? (country === 'PL' ? nextNip() : country === 'IT' ? IT_VAT : DE_VAT)),
    addressLine: country === 'IT' ? 'Via Roma 1' : 'ul. Polna 3',
    postalCode: country === 'IT' ? '00100' : '00-003',
    city: country === 'IT' ? 'Roma' : 'Warszawa',
    billingEmail: opts.billingEmail ?? email,
    einvoiceId: opts.einvoiceId ?? '',
  })
  const location = res.headers.get('Location')
  if (res.status !== 303 || !location?.startsWith('/o/')) throw new Error(`creating the org failed: ${res.status}\n${await res.text()}`)
  const slug = location.replace('/o/', '')
  if (opts.codiceFiscale) await t.db.update(orgs).set({ codiceFiscale: opts.codiceFiscale }).where(eq(orgs.slug, slug))
  const org = (await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!
  return { user, b, slug, org }
}
