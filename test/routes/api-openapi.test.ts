// The OpenAPI document (issue 15, item 13): generated from the schemas that validate the requests,
// and usable as it stands — a client built from it (server URL + path + example body) reaches the API.
import { describe, expect, it } from 'vitest'
import { testApp } from '../helpers/app'
import { apiCall, orgWithKey } from '../helpers/api'

const t = await testApp({ now: '2026-11-20T10:00:00Z' })
await t.seedCatalog()

type Operation = {
  requestBody?: { required?: boolean; content: Record<string, { schema: { $ref?: string }; example?: unknown }> }
  responses: Record<string, { content?: Record<string, unknown> }>
  security?: unknown[]
}
type Doc = {
  openapi: string
  servers?: { url: string }[]
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, { required?: string[]; example?: unknown }> }
}

const document = async () => (await (await apiCall(t, null, 'GET', '/openapi.json')).json()) as Doc

describe('the OpenAPI document', () => {
  it('describes the three endpoints from the same schemas that validate them', async () => {
    const res = await apiCall(t, null, 'GET', '/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as Doc
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual(['/entitlements', '/licences/validate', '/usage'])
    expect(doc.components.schemas.UsageRequest!.required!.sort()).toEqual(['idempotency_key', 'quantity', 'quota'])
    expect(doc.components.schemas.Problem).toBeTruthy()
  })

  it('names the server its paths are under: /api/v1 at the configured address', async () => {
    expect((await document()).servers).toEqual([{ url: 'http://localhost/api/v1' }])
  })

  it('is enough for a client: every operation, called at server + path with its example body, reaches the API and answers as documented', async () => {
    const { key } = await orgWithKey(t, 'openapi-client@example.com')
    const doc = await document()
    const server = doc.servers?.[0]?.url ?? ''
    let operations = 0
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations++
        const json = op.requestBody?.content['application/json']
        const ref = json?.schema.$ref?.replace('#/components/schemas/', '')
        const example = json?.example ?? (ref ? doc.components.schemas[ref]?.example : undefined)
        if (op.requestBody?.required) expect(example, `${method} ${path} has an example body`).toBeDefined()
        const res = await t.app.request(new URL(server + path, 'http://localhost').href, {
          method: method.toUpperCase(),
          headers: { ...(op.security ? { Authorization: `Bearer ${key}` } : {}), 'Content-Type': 'application/json' },
          body: example === undefined ? undefined : JSON.stringify(example),
        })
        const what = `${method.toUpperCase()} ${server}${path}: ${res.status}`
        expect(res.status, what).toBeLessThan(300)
        expect(Object.keys(op.responses), what).toContain(String(res.status))
        const documented = Object.keys(op.responses[String(res.status)]!.content ?? {})
        expect(documented, what).toContain(res.headers.get('Content-Type'))
      }
    }
    expect(operations).toBe(3)
  })

  it('answers unknown API paths with 404 problem+json', async () => {
    const res = await apiCall(t, null, 'GET', '/nope')
    expect(res.status).toBe(404)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
  })
})
