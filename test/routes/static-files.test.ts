// Static files carry the security headers too (issue 15, item 15): on Node from src/server.ts, on
// Workers from public/_headers, which Cloudflare applies to the assets it serves — the same list.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { IMMUTABLE, nodeServer, STATIC_HEADERS } from '../../src/server'
import { testApp } from '../helpers/app'

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
    for (const path of ['/app.css', '/vendor/htmx.min.js', '/favicon.svg']) {
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
    const html = await (await server.request('/login')).text()
    const links = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!)
    expect(links).toHaveLength(3)
    for (const link of links) {
      expect(link).toMatch(/^\/assets\/[\w.]+\.[0-9a-f]{10}\.(css|svg|js)$/)
      const res = await server.request(link)
      expect(res.status, link).toBe(200)
      expect(res.headers.get('Cache-Control')).toBe(IMMUTABLE)
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    }
    const css = links.find((l) => l.endsWith('.css'))!
    expect(await (await server.request(css)).text()).toBe(readFileSync('public/app.css', 'utf8'))
    expect((await server.request(css.replace(/\.[0-9a-f]{10}\./, '.0000000000.'))).status).toBe(404)
  })
})
