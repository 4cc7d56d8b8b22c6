// Static files carry the security headers too (issue 15, item 15): on Node from src/server.ts, on
// Workers from public/_headers, which Cloudflare applies to the assets it serves — the same list.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nodeServer, STATIC_HEADERS } from '../../src/server'
import { testApp } from '../helpers/app'

/** The headers public/_headers gives every file. */
function workersHeaders(): Record<string, string> {
  const lines = readFileSync('public/_headers', 'utf8').split('\n')
  const start = lines.indexOf('/*')
  return Object.fromEntries(
    lines
      .slice(start + 1)
      .filter((l) => /^\s+\S/.test(l))
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
    expect(workersHeaders()).toEqual(STATIC_HEADERS)
  })
})
