// The bench's page weight (bench/page-weight.ts): a page's HTML with the stylesheet and htmx it links,
// byte for byte as the Node server serves them, htmx counted on its own.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { gunzipSync, gzipSync } from 'node:zlib'
import { isHtmx, linkedFiles, pageWeigher, sizesOf } from '../../bench/page-weight'
import { nodeServer } from '../../src/server'
import { testApp } from '../helpers/app'
import { signedIn } from '../helpers/users'

describe('the weight of a page', () => {
  it('is its HTML, its stylesheets and htmx as served, each also gzipped and brotli’d', async () => {
    const t = await testApp()
    const weigh = pageWeigher(nodeServer(t.deps))
    // The sign-in page: both stylesheets, no script (htmx only where forms swap in place).
    const w = await weigh('sign-in', '/login')
    const html = await (await nodeServer(t.deps).request('/login')).text()
    const { css, scripts } = linkedFiles(html)
    expect(css).toHaveLength(2)
    expect(scripts).toEqual([])
    expect(w.html.bytes).toBe(Buffer.byteLength(html))
    // The fingerprinted copies hold the same bytes as the files they were made from.
    expect(w.css.bytes).toBe(readFileSync('public/app.css').length + readFileSync('public/panel.css').length)
    expect(w.htmx).toEqual({ bytes: 0, gzip: 0, brotli: 0 })
    expect(w.otherJs).toEqual({ bytes: 0, gzip: 0, brotli: 0 })
    expect(w.total.bytes).toBe(w.html.bytes + w.css.bytes)
    expect(w.total.gzip).toBe(w.html.gzip + w.css.gzip)

    // The account page swaps its forms with htmx: it is counted on its own.
    const { b } = await signedIn(t, 'weight@example.com')
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const account = await weigh('account', '/account', { headers: { cookie } })
    expect(account.htmx.bytes).toBe(readFileSync('public/vendor/htmx.min.js').length)
    expect(account.htmx.gzip).toBeLessThan(account.htmx.bytes / 2)
    expect(account.htmx.brotli).toBeLessThan(account.htmx.gzip)
    expect(account.total.bytes).toBe(account.html.bytes + account.css.bytes + account.htmx.bytes)
  })

  it('measures compressed sizes that decompress to the same bytes', () => {
    const body = Buffer.from('<p>Zażółć gęślą jaźń</p>'.repeat(100))
    const s = sizesOf(body)
    expect(s.bytes).toBe(body.length)
    expect(gunzipSync(gzipSync(body, { level: 6 })).equals(body)).toBe(true)
    expect(s.gzip).toBe(gzipSync(body, { level: 6 }).length)
  })

  it('finds the files a page links, whatever the attributes’ order, and tells htmx apart', () => {
    const html = '<link href="/assets/app.1.css" rel="stylesheet"><link rel="icon" href="/f.svg"><script defer src="/assets/htmx.min.2.js"></script><script src="/x.js"></script>'
    expect(linkedFiles(html)).toEqual({ css: ['/assets/app.1.css'], scripts: ['/assets/htmx.min.2.js', '/x.js'] })
    expect(isHtmx('/assets/htmx.min.2.js')).toBe(true)
    expect(isHtmx('/x.js')).toBe(false)
  })
})
