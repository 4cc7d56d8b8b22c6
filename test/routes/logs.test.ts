// The log line per request (src/log.ts, docs/operations.md "Logs"): one JSON line on stdout on Node,
// with the route's pattern rather than its path, and the error of a 500 under the id its page shows.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import type { LogLine } from '../../src/log'
import { testApp, textOf } from '../helpers/app'
import { setCatalogFreshness } from '../../src/db/catalog-cache'
import { signedIn } from '../helpers/users'
import { adminWithOrg } from '../helpers/orgs'

afterEach(() => vi.restoreAllMocks())

describe('the log line of a request', () => {
  it('is one line of JSON on stdout: method, the route pattern (no ids), status, milliseconds and the request id', async () => {
    const t = await testApp({ config: { environment: 'development' } })
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const res = await t.app.request('http://localhost/activate/some-secret-token')
    expect(stdout).toHaveBeenCalledTimes(1)
    const [written] = stdout.mock.calls[0]!
    expect(typeof written).toBe('string')
    expect(written).toMatch(/^[^\n]*\n$/)
    const text = (written as string).trimEnd()
    expect(text).not.toContain('some-secret-token')
    // Two round trips: the request's first batch (outside production, the test clock: src/services/request-context.ts), then the link.
    expect(JSON.parse(text as string)).toEqual({ type: 'request', id: res.headers.get('X-Request-Id'), method: 'GET', route: '/activate/:token', status: res.status, ms: expect.any(Number), statements: 2, roundTrips: 2, chain: 2 })
  })

  it('names the pattern of the route that answered, under an org too', async () => {
    const t = await testApp()
    const lines: LogLine[] = []
    t.deps.log = (line) => lines.push(line)
    const { b, org } = await adminWithOrg(t, 'logged@example.com')
    lines.length = 0
    t.counter.reset()
    const res = await b.get(`/o/${org.slug}/settings/users`)
    expect(res.status).toBe(200)
    const { statements, roundTrips, chain } = t.counter
    expect(statements).toBeGreaterThan(0)
    expect(lines).toEqual([{ type: 'request', id: res.headers.get('X-Request-Id'), method: 'GET', route: '/o/:slug/settings/users', status: 200, ms: expect.any(Number), statements, roundTrips, chain }])
  })

  it('counts only its own database calls when requests run at once', async () => {
    const t = await testApp()
    setCatalogFreshness(t.db, 60 * 60_000) // no catalog check coming due between the two rounds
    const lines: LogLine[] = []
    t.deps.log = (line) => lines.push(line)
    const { b, org } = await adminWithOrg(t, 'logged-at-once@example.com')
    const alone = async (path: string) => {
      lines.length = 0
      await (await b.get(path)).text()
      return lines[0]!.statements
    }
    const paths = ['/login', `/o/${org.slug}`, `/o/${org.slug}/history`, '/account']
    for (const path of paths) await alone(path) // the catalog's first load goes to whoever reads it first
    const each = new Map<string, unknown>()
    for (const path of paths) each.set(path, await alone(path))
    lines.length = 0
    const responses = await Promise.all(paths.map((path) => b.get(path)))
    await Promise.all(responses.map((r) => r.text()))
    const byId = new Map(lines.map((l) => [l.id, l.statements]))
    expect(responses.map((r) => byId.get(r.headers.get('X-Request-Id')))).toEqual(paths.map((p) => each.get(p)))
  })

  it('carries the error of a 500, under the request id its page shows', async () => {
    const t = await testApp()
    const lines: LogLine[] = []
    const broken = createApp({
      ...t.deps,
      log: (line) => lines.push(line),
      db: new Proxy(t.deps.db, {
        get(target, prop) {
          if (prop === 'select') throw new Error('database is on fire')
          return Reflect.get(target, prop)
        },
      }),
    })
    const res = await broken.request('http://localhost/login', { headers: { Cookie: 'kontor_session=whatever' } })
    expect(res.status).toBe(500)
    const id = res.headers.get('X-Request-Id')!
    expect(textOf(await res.text())).toContain(id)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ type: 'request', id, method: 'GET', route: '/login', status: 500, level: 'error' })
    expect(lines[0]!.error).toContain('database is on fire')
  })

  it('is not written in tests (KONTOR_ENV=test) unless a test asks for the lines', async () => {
    const t = await testApp()
    const streams = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write'), vi.spyOn(console, 'log'), vi.spyOn(console, 'error')]
    await t.app.request('http://localhost/login')
    await signedIn(t, 'quiet@example.com')
    expect(streams.map((s) => s.mock.calls.length)).toEqual([0, 0, 0, 0])
  })
})
