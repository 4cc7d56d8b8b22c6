// The vendor API's HTTP edges (issue 15, item 12): every answer under /api/v1 is JSON and every
// error application/problem+json (RFC 9457) — the body limit, the content type, the methods a path
// allows, unreadable JSON and failures alike — whatever part of the app gives it.
import { z } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from './env'

export const API_BASE = '/api/v1'
/** A vendor app sends a few fields; anything past this is refused before it is read. */
export const API_BODY_LIMIT = 64 * 1024

/** Whether a path is the vendor API's: it takes no cookies, so neither the session nor the forms' CSRF check apply. */
export function isApiPath(path: string): boolean {
  return path === API_BASE || path.startsWith(`${API_BASE}/`)
}

export const Problem = z
  .object({
    type: z.string().openapi({ example: 'https://kontor.dev/problems/quota_exceeded' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
  })
  .passthrough()
  .openapi('Problem')

/**
 * An error answer as application/problem+json (RFC 9457). Typed `never` so that route handlers,
 * whose typed responses are their successes, can return it from any branch.
 */
export function problem(c: Context, status: number, code: string, title: string, extra: Record<string, unknown> = {}): never {
  const headers = new Headers(c.res.headers)
  headers.set('Content-Type', 'application/problem+json')
  return new Response(JSON.stringify({ type: `https://kontor.dev/problems/${code}`, title, status, ...extra }), { status, headers }) as never
}

/** The documented problem answers of an operation. */
export const problems = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, { description: 'Problem', content: { 'application/problem+json': { schema: Problem } } }]))

/** Bodies past API_BODY_LIMIT: 413, counted as they arrive when no Content-Length says it first. */
export const apiBodyLimit = bodyLimit({
  maxSize: API_BODY_LIMIT,
  onError: (c) => problem(c, 413, 'too_large', `The request body is larger than ${API_BODY_LIMIT / 1024} KB.`),
})

const JSON_TYPE = /^application\/json\s*(;|$)/i

/** A body that says it is not JSON is refused as such (415), not read as an empty object. */
export const requireJsonBody: MiddlewareHandler = async (c, next) => {
  if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return next()
  if (JSON_TYPE.test(c.req.header('Content-Type') ?? '')) return next()
  return problem(c, 415, 'unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).')
}

/**
 * A known path asked with a method it does not take: 405 with Allow (HEAD wherever GET is). `routes`
 * are the API's own (method, path below /api/v1), read when the first request comes, once all are registered.
 */
export function methodsAllowed(routes: () => { method: string; path: string }[]): MiddlewareHandler {
  let allowed: Map<string, string[]> | null = null
  return async (c, next) => {
    if (!allowed) {
      allowed = new Map()
      for (const r of routes()) {
        if (r.method === 'ALL' || r.path.includes('*')) continue
        const methods = allowed.get(r.path) ?? []
        allowed.set(r.path, [...methods, r.method, ...(r.method === 'GET' ? ['HEAD'] : [])])
      }
    }
    const methods = allowed.get(c.req.path.slice(API_BASE.length))
    if (!methods || methods.includes(c.req.method)) return next()
    const allow = [...new Set(methods)].join(', ')
    c.header('Allow', allow)
    return problem(c, 405, 'method_not_allowed', `${c.req.method} is not allowed here; allowed: ${allow}.`)
  }
}

/** The API's error handler, also the app's for a failure under /api/v1 before the API's own routes. */
export function apiError<E extends { Variables: Pick<AppEnv['Variables'], 'requestId' | 'error'> }>(err: Error, c: Context<E>): Response {
  if (err instanceof HTTPException && err.status === 400) return problem(c, 400, 'malformed_json', 'The request body is not valid JSON.')
  if (err instanceof HTTPException && err.status < 500) return problem(c, err.status, 'invalid_request', err.message || 'The request cannot be served.')
  // The request's log line carries the error, under the id the answer gives. (E is AppEnv or the
  // API's extension of it; TypeScript cannot set a variable through the generic.)
  const app = c as unknown as Context<AppEnv>
  app.set('error', err)
  const id = app.var.requestId ?? 'unknown'
  return problem(c, 500, 'internal_error', 'Something went wrong on our side.', { request_id: id })
}
