// POST /api/v1/usage (SPEC §12): a vendor app reports usage of a monthly or total quota. The body is
// read and validated first, without the database; a report that reads well, with a key that looks like
// one, is then answered in ONE round trip — key, read-only state, limit and insert in one batch
// (src/services/usage.ts). Anything else goes on through the API's key check and read-only guard like
// every other call (src/routes/api.ts), and then gets its body's problem: the answers, and their
// order (401, 423, then 400/422), are the same either way.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import type { ZodError } from 'zod'
import { API_KEY_PREFIX, type ApiCaller } from '../services/api-keys'
import { reportUsage, type UsageInput, type UsageResult } from '../services/usage'
import { readOnlyFrom } from '../services/read-only'
import type { Org } from '../services/orgs'
import { cachedCatalog } from '../db/catalog-cache'
import type { AppEnv } from './env'
import { apiReadOnlyProblem } from './read-only'
import { problem, problems } from './api-problems'
import { planComparisonPath } from '../views/plans/compare'

/** What a bad body gets, decided once per request (the fast path and the handler both ask). */
type BodyRead = { ok: true; input: UsageInput } | { ok: false; problem: (c: Context) => Response }

export type ApiEnv = { Variables: AppEnv['Variables'] & { apiOrg: Org; apiCaller: ApiCaller; usageBody: BodyRead } }

/** The problem of a body that fails a request schema: each field's message (also the API's defaultHook). */
export function invalidRequest(c: Context, error: ZodError): Response {
  const errors = error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }))
  return problem(c, 422, 'invalid_request', 'The request body is not valid.', { errors })
}

/** The bearer key, if the Authorization header carries one that could be a Kontor key. */
export function bearerKey(c: Context): string | null {
  const key = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '')?.[1]
  return key && key.startsWith(API_KEY_PREFIX) && key.length <= 100 ? key : null
}

export const UsageRequest = z
  .object({
    product: z.string().max(100).optional().openapi({ description: 'Product key; needed only when two products of the org share the quota key' }),
    quota: z.string().min(1).max(100),
    quantity: z.number().int().min(-1_000_000).max(1_000_000).refine((n) => n !== 0, 'quantity must not be 0'),
    idempotency_key: z.string().min(1).max(200).openapi({
      description:
        'Yours to choose, one per report. A retry within 24 hours is answered with the first answer, byte for byte, and counts nothing; the same key with another request is refused (422 idempotency_key_reused). After 24 hours the key is free again.',
    }),
  })
  .openapi('UsageRequest', { example: { quota: 'contracts', quantity: 1, idempotency_key: 'contract-2026-0042' } })

/** Written by the statement that counts (src/db/usage-report.ts builds it in SQL, in this order) and stored for replays. */
const UsageResponse = z
  .object({ product: z.string(), quota: z.string(), used: z.number().int(), limit: z.number().int().nullable(), resets_at: z.string().datetime().nullable() })
  .openapi('UsageResponse')

export const usageRoute = createRoute({
  method: 'post',
  path: '/usage',
  summary: 'Record usage of a monthly or total quota (negative quantities only for total quotas)',
  description: 'Each call also notes when the API key was last used, to the minute.',
  security: [{ bearer: [] }],
  request: { body: { content: { 'application/json': { schema: UsageRequest } }, required: true } },
  responses: {
    201: {
      description: 'Counted; or, for a retry of a counted report under the same key, its answer again',
      headers: { 'Idempotent-Replayed': { description: '`true` when the answer is a replay of the first one', schema: { type: 'string', enum: ['true'] } } },
      content: { 'application/json': { schema: UsageResponse } },
    },
    ...problems(400, 401, 409, 413, 415, 422, 423),
  },
})

async function readBody(c: Context<ApiEnv>): Promise<BodyRead> {
  const known = c.get('usageBody') as BodyRead | undefined
  if (known) return known
  let read: BodyRead
  try {
    const parsed = UsageRequest.safeParse(await c.req.json())
    read = parsed.success
      ? { ok: true, input: { product: parsed.data.product, quota: parsed.data.quota, quantity: parsed.data.quantity, idempotencyKey: parsed.data.idempotency_key } }
      : { ok: false, problem: (c) => invalidRequest(c, parsed.error) }
  } catch {
    read = { ok: false, problem: (c) => problem(c, 400, 'malformed_json', 'The request body is not valid JSON.') }
  }
  c.set('usageBody', read)
  return read
}

export function unauthorized(c: Context): Response {
  c.header('WWW-Authenticate', 'Bearer')
  return problem(c, 401, 'unauthorized', 'A valid API key is required (Authorization: Bearer kon_…).')
}

/** Before the key check: a well-formed report with a plausible key, answered in one round trip. */
export const reportInOneTrip: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const key = bearerKey(c)
  const body = await readBody(c)
  if (!key || !body.ok) return next()
  return answer(c, body.input, await reportUsage(c.var.deps, key, body.input, c.var.now))
}

/** After the key check and the read-only guard: only a body that did not read well gets here. */
export async function answerBadBody(c: Context<ApiEnv>): Promise<Response> {
  const body = await readBody(c)
  if (!body.ok) return body.problem(c)
  throw new Error('a usage report that reads well, with a valid key, is answered before the key check (reportInOneTrip)')
}

async function answer(c: Context<ApiEnv>, input: UsageInput, r: UsageResult): Promise<Response> {
  if (r.ok) {
    // The stored text itself, not a copy re-serialized: a replay is the same bytes.
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(r.replayed ? { 'Idempotent-Replayed': 'true' } : {}) }
    return c.body(r.answer, 201, headers)
  }
  switch (r.error) {
    case 'unauthorized':
      return unauthorized(c)
    case 'read_only':
      return apiReadOnlyProblem(c, readOnlyFrom(r.readOnlyRows, await cachedCatalog(c.var.deps.db), r.timeZone)!)
    case 'quota_exceeded':
      return problem(c, 409, 'quota_exceeded', `The ${r.state.quota} quota is used up.`, {
        quota: r.state.quota,
        limit: r.state.limit,
        used: r.state.used,
        resets_at: r.state.resetsAt?.toISOString() ?? null,
        // What each plan allows, for the vendor app to show its user (issue 16).
        plans: `${c.var.deps.config.baseUrl}${planComparisonPath(r.state.product)}`,
      })
    case 'unknown_quota':
      return problem(c, 422, 'unknown_quota', `The org has no active product with the quota "${input.quota}".`)
    case 'product_required':
      return problem(c, 422, 'product_required', `Several products of the org have the quota "${input.quota}": name the product.`)
    case 'seats_not_reported':
      return problem(c, 422, 'seats_not_reported', 'Seats are the org’s members; they are not reported through the API.')
    case 'negative_monthly':
      return problem(c, 422, 'negative_monthly', 'Monthly quotas only count up; negative quantities are for total quotas.')
    case 'below_zero':
      return problem(c, 422, 'below_zero', 'This would take the use of the quota below zero.')
    case 'idempotency_key_reused':
      return problem(c, 422, 'idempotency_key_reused', `The idempotency key "${input.idempotencyKey}" was used for another request in the last 24 hours.`)
  }
}

/** Mounts the route on the API: its document entry, and the handler for bodies that did not read well. */
export function documentUsage(api: OpenAPIHono<ApiEnv>): void {
  api.openAPIRegistry.registerPath(usageRoute)
  api.post('/usage', answerBadBody)
}
