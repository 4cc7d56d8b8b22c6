// Where sign-in lands (issue 16, docs/rules.md "Where sign-in lands"): the only org's dashboard,
// the org used last on this browser when there are several, Account when there is none; a cart or
// an e-code being redeemed still comes first.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { memberships, orgs } from '../../src/db/schema'
import { testApp } from '../helpers/app'
import { adminWithOrg } from '../helpers/orgs'
import { createUser, PASSWORD } from '../helpers/users'
import { issueCodes } from '../helpers/ecodes'
import { operatorWithAuthenticator } from '../helpers/operators'
import { LAST_ORG_COOKIE } from '../../src/routes/landing'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

/** An admin with one org, made a member of a second org another admin created. */
async function memberOfTwo(email: string) {
  const first = await adminWithOrg(t, email)
  const other = await adminWithOrg(t, `other-of-${email}`)
  await t.db.insert(memberships).values({ orgId: other.org.id, userId: first.user.id, role: 'member', createdAt: t.clock.now() })
  return { ...first, second: other.org }
}

const signIn = (b: ReturnType<typeof t.browser>, email: string) => b.post('/login', { email, password: PASSWORD })

describe('where sign-in lands', () => {
  it('lands on Account for someone who belongs to no org', async () => {
    await createUser(t.deps, { email: 'alone@example.com' })
    const b = t.browser()
    const res = await signIn(b, 'alone@example.com')
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/account')
    expect((await b.get('/')).headers.get('Location')).toBe('/account')
    expect((await b.get('/login')).headers.get('Location')).toBe('/account')
  })

  it('lands on the dashboard of the only org, whatever the browser remembers', async () => {
    const { slug } = await adminWithOrg(t, 'one-org@example.com')
    const other = await adminWithOrg(t, 'someone-else@example.com')
    const b = t.browser()
    // An org of another account used on the same browser is not a reason to go anywhere else.
    b.cookies.set(LAST_ORG_COOKIE, other.org.id)
    expect((await signIn(b, 'one-org@example.com')).headers.get('Location')).toBe(`/o/${slug}`)
    expect((await b.get('/')).headers.get('Location')).toBe(`/o/${slug}`)
    expect((await b.get('/register')).headers.get('Location')).toBe(`/o/${slug}`)
  })

  it('lands on the org used last on this browser when there are several, and on the list when none was used here', async () => {
    const { slug, second } = await memberOfTwo('two-orgs@example.com')
    const b = t.browser()
    expect((await signIn(b, 'two-orgs@example.com')).headers.get('Location')).toBe('/orgs')

    expect((await b.get(`/o/${second.slug}`)).status).toBe(200)
    expect(b.cookies.get(LAST_ORG_COOKIE)).toBe(second.id)
    expect((await b.get('/')).headers.get('Location')).toBe(`/o/${second.slug}`)
    await b.post('/logout')
    expect((await signIn(b, 'two-orgs@example.com')).headers.get('Location')).toBe(`/o/${second.slug}`)

    expect((await b.get(`/o/${slug}`)).status).toBe(200)
    expect(b.cookies.get(LAST_ORG_COOKIE)).toBe((await t.db.select().from(orgs).where(eq(orgs.slug, slug)).get())!.id)
    expect((await signIn(b, 'two-orgs@example.com')).headers.get('Location')).toBe(`/o/${slug}`)
    expect((await b.get('/login')).headers.get('Location')).toBe(`/o/${slug}`)

    // Another browser knows nothing of it.
    expect((await signIn(t.browser(), 'two-orgs@example.com')).headers.get('Location')).toBe('/orgs')
  })

  it('forgets an org the person has left: back to the list', async () => {
    const { user, second } = await memberOfTwo('leaves@example.com')
    const third = await adminWithOrg(t, 'third-org@example.com')
    await t.db.insert(memberships).values({ orgId: third.org.id, userId: user.id, role: 'member', createdAt: t.clock.now() })
    const b = t.browser()
    await signIn(b, 'leaves@example.com')
    await b.get(`/o/${second.slug}`)
    expect((await b.post(`/o/${second.slug}/membership/removal`)).status).toBe(303)
    expect((await signIn(b, 'leaves@example.com')).headers.get('Location')).toBe('/orgs')
  })

  it('sends the cookie only when the org changes, so a page in use adds no header and no write', async () => {
    const { b, slug, org } = await adminWithOrg(t, 'steady@example.com')
    const first = await b.get(`/o/${slug}`)
    expect(first.headers.getSetCookie().filter((c) => c.startsWith(`${LAST_ORG_COOKIE}=`))).toEqual([
      `${LAST_ORG_COOKIE}=${org.id}; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax`,
    ])
    const again = await b.get(`/o/${slug}/history`)
    expect(again.headers.getSetCookie().filter((c) => c.startsWith(`${LAST_ORG_COOKIE}=`))).toEqual([])
    // A page of an org the person does not belong to (404) remembers nothing.
    const stranger = await adminWithOrg(t, 'stranger@example.com')
    expect((await b.get(`/o/${stranger.slug}`)).status).toBe(404)
    expect(b.cookies.get(LAST_ORG_COOKIE)).toBe(org.id)
  })

  it('keeps a cart and an e-code being redeemed ahead of the dashboard', async () => {
    const { slug, org } = await adminWithOrg(t, 'busy@example.com')
    const buyer = t.browser()
    expect((await buyer.post('/buy/sekretariat', { plan: 'silver', period: '12' })).headers.get('Location')).toBe('/checkout')
    expect((await signIn(buyer, 'busy@example.com')).headers.get('Location')).toBe('/checkout')

    const [code] = await issueCodes(t, org, 'signature-1y', 1)
    const redeemer = t.browser()
    await redeemer.get(`/r/${code}`)
    expect((await redeemer.post(`/r/${code}/redemption`, { org: slug })).headers.get('Location')).toBe('/login')
    expect((await signIn(redeemer, 'busy@example.com')).headers.get('Location')).toBe(`/r/${code}`)
  })

  it('starts an operator without orgs in the back office', async () => {
    const { b } = await operatorWithAuthenticator(t, 'operator@example.com')
    expect((await b.get('/')).headers.get('Location')).toBe('/ops')
    expect((await b.get('/login')).headers.get('Location')).toBe('/ops')
  })
})
