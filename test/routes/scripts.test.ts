// Which pages load a script (issue 16, docs/rules.md "Pages on a phone"): every page works without
// JavaScript, and only those whose forms htmx swaps in place (`hx-post`: Account, the back office's
// catalog) load htmx — a phone runs no script anywhere else. Every GET page of a seeded world is read
// (test/helpers/page-walk.ts): one that uses htmx without loading it, or loads it for nothing, fails.
// Every page also carries a description for search engines and link previews.
import { describe, expect, it } from 'vitest'
import { roundTripWorld } from '../helpers/round-trips'
import { htmlPages, openPage } from '../helpers/page-walk'

const w = await roundTripWorld('test')
/** The htmx script, by its fingerprinted name (npm start) or its plain one (tests load no manifest). */
const HTMX = /<script src="(\/assets\/htmx\.min\.[0-9a-f]+|\/vendor\/htmx\.min)\.js" defer=""><\/script>/

describe('scripts', () => {
  it('loads htmx on Account and in the catalog editor, whose forms swap in place, and not on /login or the dashboard', async () => {
    const text = async (res: Promise<Response>) => (await res).text()
    expect(await text(w.admin.get('/account'))).toMatch(HTMX)
    expect(await text(w.operator.get('/ops/catalog/products/new'))).toMatch(HTMX)
    expect(await text(w.t.browser().get('/login'))).not.toMatch(/<script/)
    expect(await text(w.admin.get(`/o/${w.slug}`))).not.toMatch(/<script/)
  })

  it.each(htmlPages(w))('%s (%s) loads htmx exactly when it uses it, and has a description', async (route, who) => {
    const res = await openPage(w, route, who)
    if (res.status >= 300 && res.status < 400) return
    const html = await res.text()
    const uses = /\shx-(post|get|put|patch|delete|target|swap|boost)=/.test(html)
    expect(HTMX.test(html), uses ? 'uses htmx without loading it' : 'loads htmx and never uses it').toBe(uses)
    expect(html).toMatch(/<meta name="description" content="[^"]+"\/?>/)
  })
})
