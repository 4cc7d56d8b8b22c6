// What browsers may keep and how it travels (issue 15 item 15, issue 17 item 3): static files carry
// the security headers too (on Node from src/server.ts, on Workers from public/_headers, the same
// list) and are linked by fingerprinted names kept a year; pages are revalidated every time (no-cache
// with an ETag, 304 when unchanged); the Node server compresses (Cloudflare does it for a Worker).
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { IMMUTABLE, nodeServer, STATIC_HEADERS } from '../../src/server'
import { Browser, testApp } from '../helpers/app'
import { createUser, PASSWORD } from '../helpers/users'
import { adminWithOrg } from '../helpers/orgs'

/** The headers public/_headers gives the files a rule matches (`! Name` removes one an earlier rule set). */
function workersHeaders(rule: string): Record<string, string> {
  const lines = readFileSync('public/_headers', 'utf8').split('\n')
  const start = lines.indexOf(rule)
  const body = lines.slice(start + 1)
  const end = body.findIndex((l) => !/^\s+\S/.test(l))
  return Object.fromEntries(
    body
      .slice(0, end < 0 ? undefined : end)
      .filter((l) => !l.trim().startsWith('!'))
      .map((l) => {
        const [name, ...value] = l.trim().split(':')
        return [name!, value.join(':').trim()]
      }),
  )
}

describe('static files', () => {
  it('are served on Node with the security headers and an hour of caching', async () => {
    const t = await testApp()
    const server = nodeServer(t.deps)
    for (const path of ['/app.css', '/panel.css', '/vendor/htmx.min.js', '/favicon.svg']) {
      const res = await server.request(path)
      expect(res.status, path).toBe(200)
      for (const [name, value] of Object.entries(STATIC_HEADERS)) expect(res.headers.get(name), `${path} ${name}`).toBe(value)
    }
  })

  it('get the same headers on Workers (public/_headers)', () => {
    expect(workersHeaders('/*')).toEqual(STATIC_HEADERS)
    expect(workersHeaders('/assets/*')).toEqual({ 'Cache-Control': IMMUTABLE })
  })

  it('are linked by fingerprinted names, served a year long, and a name that is not current is a 404', async () => {
    const t = await testApp()
    const server = nodeServer(t.deps)
    // The account page: the stylesheet, the icon and htmx (which only pages that use it load).
    await createUser(t.deps, { email: 'assets@example.com' })
    const b = new Browser(server, t.config.baseUrl)
    expect((await b.post('/login', { email: 'assets@example.com', password: PASSWORD })).status).toBe(303)
    const html = await (await b.get('/account')).text()
    const links = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!)
    // app.css, panel.css (the panel's lists and tables; pages under /r do without), the icon, htmx.
    expect(links).toHaveLength(4)
    for (const link of links) {
      expect(link).toMatch(/^\/assets\/[\w.]+\.[0-9a-f]{10}\.(css|svg|js)$/)
      const res = await server.request(link)
      expect(res.status, link).toBe(200)
      expect(res.headers.get('Cache-Control')).toBe(IMMUTABLE)
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    }
    const css = links.find((l) => l.startsWith('/assets/app.'))!
    expect(await (await server.request(css)).text()).toBe(readFileSync('public/app.css', 'utf8'))
    const panel = links.find((l) => l.startsWith('/assets/panel.'))!
    expect(await (await server.request(panel)).text()).toBe(readFileSync('public/panel.css', 'utf8'))
    expect((await server.request(css.replace(/\.[0-9a-f]{10}\./, '.0000000000.'))).status).toBe(404)
  })

  it('are compressed on Node when the browser takes gzip', async () => {
    const t = await testApp()
    const server = nodeServer(t.deps)
    const res = await server.request('/app.css', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(res.headers.get('Content-Encoding')).toBe('gzip')
    expect(new TextDecoder().decode(gunzipSync(new Uint8Array(await res.arrayBuffer())))).toBe(readFileSync('public/app.css', 'utf8'))
  })
})

describe('pages', () => {
  it('are revalidated every time: private, no-cache, with an ETag that answers 304 and no body when nothing changed', async () => {
    const t = await testApp()
    const first = await t.app.request('/login')
    expect(first.headers.get('Cache-Control')).toBe('private, no-cache')
    const etag = first.headers.get('ETag')!
    expect(etag).toMatch(/^W\/"[0-9a-f]{32}"$/)
    const again = await t.app.request('/login', { headers: { 'If-None-Match': etag } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect((await t.app.request('/login', { headers: { 'If-None-Match': 'W/"something-else"' } })).status).toBe(200)
  })

  it('are compressed on Node: the sign-in page travels in a fraction of its size', async () => {
    const t = await testApp()
    const server = nodeServer(t.deps)
    const plain = await (await server.request('/login')).arrayBuffer()
    const res = await server.request('/login', { headers: { 'Accept-Encoding': 'gzip, br' } })
    expect(res.headers.get('Content-Encoding')).toBe('gzip')
    const zipped = new Uint8Array(await res.arrayBuffer())
    expect(gunzipSync(zipped).byteLength).toBe(plain.byteLength)
    expect(zipped.byteLength).toBeLessThan(plain.byteLength / 2)
  })

  it('personal ones — a signed-in person’s, an e-code’s — are never stored, and carry no ETag', async () => {
    const t = await testApp()
    const { b, slug } = await adminWithOrg(t, 'caching@example.com')
    for (const path of ['/account', `/o/${slug}`, '/r/ZZZZZZZZZZZZZZZZ', '/buy']) {
      const res = await b.get(path)
      expect(res.headers.get('Cache-Control'), path).toBe('private, no-store')
      expect(res.headers.get('ETag'), path).toBeNull()
    }
    // The same public page to a visitor is revalidated instead.
    expect((await t.browser().get('/buy')).headers.get('Cache-Control')).toBe('private, no-cache')
  })
})
