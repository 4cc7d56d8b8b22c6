// Every answer under /api/v1 is JSON, its errors application/problem+json (issue 15, item 12): the
// API has its own body limit, takes no cookies and so has no cookie-CSRF check, and names the
// methods a known path allows.
import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { usageEvents } from '../../src/db/schema'
import { testApp } from '../helpers/app'
import { apiCall, orgWithKey } from '../helpers/api'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()
const { key, org, b } = await orgWithKey(t, 'api-errors@example.com')

async function expectProblem(res: Response, status: number, type: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('Content-Type')).toBe('application/problem+json')
  expect(await res.json()).toMatchObject({ type: `https://kontor.dev/problems/${type}`, status })
}

describe('errors of the vendor API', () => {
  it('refuse a body past 64 KB with 413 problem+json, the 10 MB one too, and count nothing', async () => {
    const padding = (n: number) => JSON.stringify({ quota: 'contracts', quantity: 1, idempotency_key: 'big', note: 'x'.repeat(n) })
    await expectProblem(await apiCall(t, key, 'POST', '/usage', padding(10 * 1024 * 1024)), 413, 'too_large')
    await expectProblem(await apiCall(t, key, 'POST', '/usage', padding(64 * 1024)), 413, 'too_large')
    await expectProblem(await apiCall(t, key, 'POST', '/licences/validate', JSON.stringify({ licence_number: 'x'.repeat(70_000) })), 413, 'too_large')
    // Without a Content-Length (a stream), the limit counts the bytes as they come.
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(padding(100 * 1024)))
        c.close()
      },
    })
    const streamed = await t.app.request('http://localhost/api/v1/usage', { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit)
    await expectProblem(streamed, 413, 'too_large')
    expect(await t.db.select().from(usageEvents).where(eq(usageEvents.orgId, org.id))).toHaveLength(0)
  })

  it('refuse a body that is not JSON by its content type with 415 problem+json, whatever its Origin', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      for (const origin of [{}, { Origin: 'https://elsewhere.example' }] as Record<string, string>[]) {
        const res = await apiCall(t, key, 'POST', '/usage', JSON.stringify({ quota: 'contracts', quantity: 1, idempotency_key: 'ct' }), { 'Content-Type': contentType, ...origin })
        await expectProblem(res, 415, 'unsupported_media_type')
      }
    }
    expect(await t.db.select().from(usageEvents).where(eq(usageEvents.orgId, org.id))).toHaveLength(0)
  })

  it('answer an unknown path 404 whatever the body and its type', async () => {
    await expectProblem(await apiCall(t, key, 'POST', '/nope', 'x'.repeat(100_000), { 'Content-Type': 'text/plain' }), 404, 'not_found')
  })

  it('answer a failure on our side with 500 problem+json and the request id', async () => {
    const select = t.db.select
    t.db.select = (() => {
      throw new Error('the database is gone')
    }) as typeof select
    try {
      const res = await apiCall(t, key, 'GET', '/entitlements')
      expect(res.status).toBe(500)
      expect(res.headers.get('Content-Type')).toBe('application/problem+json')
      const body = (await res.json()) as { type: string; request_id: string }
      expect(body.type).toBe('https://kontor.dev/problems/internal_error')
      expect(body.request_id).toBe(res.headers.get('X-Request-Id'))
      expect(JSON.stringify(body)).not.toContain('the database is gone')
    } finally {
      t.db.select = select
    }
  })

  it('refuse unreadable JSON with 400 problem+json', async () => {
    await expectProblem(await apiCall(t, key, 'POST', '/usage', '{not json'), 400, 'malformed_json')
    await expectProblem(await apiCall(t, key, 'POST', '/licences/validate', '{"licence_number":'), 400, 'malformed_json')
  })

  it('answer a method a known path does not allow with 405 problem+json and Allow, key or no key', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', '/usage', 'POST'],
      ['GET', '/usage', 'POST'],
      ['PUT', '/usage', 'POST'],
      ['POST', '/entitlements', 'GET, HEAD'],
      ['DELETE', '/licences/validate', 'POST'],
      ['POST', '/openapi.json', 'GET, HEAD'],
    ]
    for (const [method, path, allow] of cases) {
      for (const k of [key, null]) {
        const res = await apiCall(t, k, method, path)
        await expectProblem(res, 405, 'method_not_allowed')
        expect(res.headers.get('Allow'), `${method} ${path}`).toBe(allow)
      }
    }
  })

  it('take no cookies: a signed-in browser without a key gets 401, and no cookie is set', async () => {
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    expect(cookie).not.toBe('')
    for (const [method, path, body] of [
      ['GET', '/entitlements', undefined],
      ['POST', '/usage', { quota: 'contracts', quantity: 1, idempotency_key: 'cookie' }],
    ] as const) {
      const res = await apiCall(t, null, method, path, body, { Cookie: `${cookie}; flash=%7B%22key%22%3A%22x%22%7D` })
      await expectProblem(res, 401, 'unauthorized')
      expect(res.headers.getSetCookie()).toEqual([])
    }
  })

  it('answer JSON to every method on every API path the app has, and on unknown ones', async () => {
    const paths = [...new Set(t.app.routes.filter((r) => r.path.startsWith('/api/v1/') && !r.path.includes('*')).map((r) => r.path.slice('/api/v1'.length)))]
    expect(paths.sort()).toEqual(['/entitlements', '/licences/validate', '/openapi.json', '/usage'])
    for (const path of [...paths, '', '/', '/nope', '/usage/1', '/licences']) {
      for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
        // A string body without a Content-Type goes as text/plain, as fetch() sends it.
        for (const [k, contentType] of [[key, 'application/json'], [null, 'application/json'], [key, 'text/plain;charset=UTF-8'], [null, 'text/plain;charset=UTF-8']] as const) {
          const body = ['GET', 'HEAD'].includes(method) ? undefined : {}
          const res = await apiCall(t, k, method, path, body, { 'Content-Type': contentType })
          const what = `${method} /api/v1${path} ${k ? 'with' : 'without'} a key, ${contentType}: ${res.status}`
          expect(res.headers.get('Content-Type'), what).toBe(res.status >= 400 ? 'application/problem+json' : 'application/json')
          if (method === 'HEAD') continue
          const json = (await res.json()) as { status?: number }
          if (res.status >= 400) expect(json.status, what).toBe(res.status)
        }
      }
    }
  })
})
