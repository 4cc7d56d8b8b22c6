// The bench's page weight (bench/page-weight.ts): a page's HTML with the stylesheet and htmx it links,
// byte for byte as the Node server serves them, htmx counted on its own.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { gunzipSync, gzipSync } from 'node:zlib'
import { isHtmx, linkedFiles, pageWeigher, sizesOf } from '../../bench/page-weight'
import { nodeServer } from '../../src/server'
import { testApp } from '../helpers/app'

describe('the weight of a page', () => {
  it('is its HTML, its stylesheet and htmx as served, each also gzipped and brotli’d', async () => {
    const t = await testApp()
    const weigh = pageWeigher(nodeServer(t.deps))
    const w = await weigh('sign-in', '/login')
    const html = await (await nodeServer(t.deps).request('/login')).text()
    const { css, scripts } = linkedFiles(html)
    expect(css).toHaveLength(1)
    expect(scripts.filter(isHtmx)).toHaveLength(1)
    expect(w.html.bytes).toBe(Buffer.byteLength(html))
    // The fingerprinted copies hold the same bytes as the files they were made from.
    expect(w.htmx.bytes).toBe(readFileSync('public/vendor/htmx.min.js').length)
    expect(w.css.bytes).toBe(readFileSync('public/app.css').length)
    expect(w.otherJs).toEqual({ bytes: 0, gzip: 0, brotli: 0 })
    expect(w.total.bytes).toBe(w.html.bytes + w.css.bytes + w.htmx.bytes)
    expect(w.total.gzip).toBe(w.html.gzip + w.css.gzip + w.htmx.gzip)
    expect(w.htmx.gzip).toBeLessThan(w.htmx.bytes / 2)
    expect(w.htmx.brotli).toBeLessThan(w.htmx.gzip)
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
