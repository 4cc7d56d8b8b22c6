// Distinct accessible names for repeated links and buttons (issue 16, docs/rules.md "Pages on a
// phone"): a screen reader lists a page's links by name, so "Choose" three times, or "Remove" on
// every row, can't be told apart. Every GET page of a seeded world is read as the admin, a member,
// the operator or a visitor, and within its <main> no name may lead to two different places (a link's
// address, or a button's form with its hidden fields). The visible text may stay short: the rest of
// the name is a visually hidden span (src/views/components/for-item.tsx).
import { describe, expect, it } from 'vitest'
import { roundTripWorld } from '../helpers/round-trips'
import { textOf } from '../helpers/app'
import { htmlPages, openPage } from '../helpers/page-walk'
import { createUser } from '../helpers/users'

const w = await roundTripWorld('test')
// More rows of the lists that repeat their actions: a second member, a second API key, a product
// more on the dashboard (Certified Platform's free plan, a "Buy a plan" of its own).
const second = await createUser(w.t.deps, { email: 'rt-second@example.com', name: 'Sara Second' })
expect((await w.admin.post(`/o/${w.slug}/members`, { email: second.email })).status).toBe(303)
expect((await w.admin.post(`/o/${w.slug}/api-keys`, { name: 'Warehouse app' })).status).toBe(200)
expect((await w.admin.post(`/o/${w.slug}/subscriptions`, { product: 'certified-platform' })).status).toBe(303)

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]
const nameOf = (open: string, inner: string) => attr(open, 'aria-label') ?? textOf(inner)

/** Each link's and button's accessible name in <main>, with where it leads. */
function targetsByName(html: string): Map<string, Set<string>> {
  const main = /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? ''
  const out = new Map<string, Set<string>>()
  const add = (name: string, target: string) => out.set(name, (out.get(name) ?? new Set()).add(target))
  for (const m of main.matchAll(/(<a\b[^>]*>)([\s\S]*?)<\/a>/g)) {
    const href = attr(m[1]!, 'href')
    if (href) add(`link "${nameOf(m[1]!, m[2]!)}"`, href)
  }
  for (const f of main.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/g)) {
    const hidden = [...f[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].map((i) => `${attr(i[0], 'name')}=${attr(i[0], 'value')}`).join('&')
    for (const b of f[2]!.matchAll(/(<button\b[^>]*>)([\s\S]*?)<\/button>/g)) add(`button "${nameOf(b[1]!, b[2]!)}"`, `${attr(f[1]!, 'action') ?? ''}?${hidden}`)
  }
  return out
}

describe('repeated links and buttons', () => {
  it('name what they act on: "Choose Sekretariat", not "Choose" four times', async () => {
    const html = await (await w.t.browser().get('/buy')).text()
    expect(html).toContain('<a class="btn" href="/buy/sekretariat">Choose<span class="visually-hidden"> Sekretariat</span></a>')
    expect([...targetsByName(html).keys()].filter((n) => n.startsWith('link "Choose'))).toEqual([
      'link "Choose Certified Platform"',
      'link "Choose Certyfikaty"',
      'link "Choose Sekretariat"',
      'link "Choose SimplySign"',
    ])
  })

  it('name the member, the key, the code and the product on the lists that repeat them', async () => {
    const names = (html: string) => [...targetsByName(html).keys()]
    const users = names(await (await w.admin.get(`/o/${w.slug}/settings/users`)).text())
    expect(users).toEqual(expect.arrayContaining(['button "Remove Sara Second"', 'button "Make administrator – Sara Second"', 'button "Save – Maria Member"']))
    const keys = names(await (await w.admin.get(`/o/${w.slug}/settings/api-keys`)).text())
    expect(keys).toEqual(expect.arrayContaining(['button "Revoke ERP"', 'button "Revoke Warehouse app"']))
    const dashboard = names(await (await w.admin.get(`/o/${w.slug}`)).text())
    expect(dashboard).toEqual(expect.arrayContaining(['link "Manage plan – Sekretariat"', 'link "Buy a plan – Certyfikaty"', 'link "Buy a plan – Certified Platform"']))
    const codes = names(await (await w.admin.get(`/o/${w.slug}/ecodes`)).text())
    expect(codes.filter((n) => n.startsWith('link "Send '))).toHaveLength(3)
  })

  it.each(htmlPages(w))('%s (%s): no name leads to two places', async (route, who) => {
    const res = await openPage(w, route, who)
    if (res.status >= 300 && res.status < 400) return
    const repeated = [...targetsByName(await res.text())].filter(([, targets]) => targets.size > 1).map(([name, targets]) => `${name} → ${[...targets].join(', ')}`)
    expect(repeated).toEqual([])
  })
})
