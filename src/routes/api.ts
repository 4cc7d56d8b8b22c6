// The vendor API (SPEC §12), /api/v1: what an org may do. Bearer API keys, no cookies; every error is
// application/problem+json (src/routes/api-problems.ts); the OpenAPI 3.1 document is generated from
// the same zod schemas that validate the requests (/api/v1/openapi.json).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { and, eq } from 'drizzle-orm'
import { licences, plans, products, subscriptions } from '../db/schema'
import { authenticateApiKey, type ApiCaller } from '../services/api-keys'
import { orgProducts } from '../services/subscriptions'
import { readOnlyFrom } from '../services/read-only'
import { cachedCatalog } from '../db/catalog-cache'
import { recordUsage, type UsageTarget } from '../services/usage'
import { normalizeLicenceNumber } from '../domain/licence-number'
import type { Org } from '../services/orgs'
import type { AppEnv } from './env'
import { apiReadOnlyGuard } from './read-only'
import { runInBackground } from './http'
import { API_BASE, apiBodyLimit, apiError, methodsAllowed, problem, problems, requireJsonBody } from './api-problems'
import { planComparisonPath } from '../views/plans/compare'

type ApiEnv = { Variables: AppEnv['Variables'] & { apiOrg: Org; apiCaller: ApiCaller } }

export const api = new OpenAPIHono<ApiEnv>({
  defaultHook: (result, c) => {
    if (!result.success) {
      const errors = result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }))
      return problem(c, 422, 'invalid_request', 'The request body is not valid.', { errors })
    }
  },
})

/**
 * The key check, in one statement with what comes next: the org's read-only state (for the guard
 * below) and, for a usage report, the subscriptions offering its quota — read from the body, which
 * the route's validator checks properly afterwards.
 */
const requireApiKey = async (c: Context<ApiEnv>, next: () => Promise<void>) => {
  const header = c.req.header('Authorization') ?? ''
  const key = /^Bearer (\S+)$/.exec(header)?.[1]
  const found = key ? await authenticateApiKey(c.var.deps, key, c.var.now, await usageTarget(c)) : null
  if (!found) {
    c.header('WWW-Authenticate', 'Bearer')
    return problem(c, 401, 'unauthorized', 'A valid API key is required (Authorization: Bearer kon_…).')
  }
  const { touch, now, ...caller } = found
  if (touch) runInBackground(c, touch)
  c.set('now', now)
  c.set('apiOrg', caller.org)
  c.set('apiCaller', caller)
  await next()
}

/** The quota (and product) a usage report names, if the body says so plainly; anything else is left to the validator. */
async function usageTarget(c: Context<ApiEnv>): Promise<UsageTarget | undefined> {
  if (c.req.method !== 'POST' || !c.req.path.endsWith('/usage')) return undefined
  const body = (await c.req.json().catch(() => null)) as { quota?: unknown; product?: unknown } | null
  if (typeof body?.quota !== 'string' || (body.product !== undefined && typeof body.product !== 'string')) return undefined
  return { quota: body.quota, product: body.product }
}
// Before the key is looked up: what the request is, then who asks. (An unknown path is 404 below.)
api.use('*', methodsAllowed(() => api.routes))
for (const takesBody of ['/usage', '/licences/*']) api.use(takesBody, apiBodyLimit, requireJsonBody)
api.use('/entitlements', requireApiKey)
api.use('/usage', requireApiKey)
api.use('/licences/*', requireApiKey)
// A read-only org's writes answer 423 here, once for every route (after the key check, before any handler).
api.use('*', apiReadOnlyGuard)

const Quota = z
  .object({
    key: z.string(),
    kind: z.enum(['monthly', 'total', 'seats']),
    limit: z.number().int().nullable().openapi({ description: 'null: unlimited' }),
    used: z.number().int(),
    resets_at: z.string().datetime().nullable().openapi({ description: 'Monthly quotas: the start of the next month in the org’s time zone' }),
  })
  .openapi('Quota')

const Entitlements = z
  .object({
    org: z.object({ id: z.string(), name: z.string() }),
    read_only: z.boolean().openapi({ description: 'True while a subscription lapsed unpaid (SPEC §8): writes answer 423 until it is renewed or switched to the free plan' }),
    lapsed_at: z.string().datetime().nullable().openapi({ description: 'While read-only: when the lapsed subscription’s period ended' }),
    deletes_at: z.string().datetime().nullable().openapi({ description: 'While read-only: when the org’s data will be deleted' }),
    products: z.array(
      z.object({
        product: z.string(),
        plan: z.string(),
        status: z.enum(['active', 'read_only']),
        licence: z.string().nullable(),
        period_end: z.string().datetime().nullable(),
        quotas: z.array(Quota),
      }),
    ),
  })
  .openapi('Entitlements')

api.openapi(
  createRoute({
    method: 'get',
    path: '/entitlements',
    summary: 'The org’s licences, plans, status and every quota with limit, use and reset time',
    security: [{ bearer: [] }],
    responses: { 200: { description: 'Entitlements', content: { 'application/json': { schema: Entitlements } } }, ...problems(401) },
  }),
  async (c) => {
    const org = c.var.apiOrg
    const [states, catalog] = await Promise.all([orgProducts(c.var.deps, org, c.var.now), cachedCatalog(c.var.deps.db)])
    // The read-only subscriptions came with the key (authenticateApiKey): nothing more to read.
    const readOnly = readOnlyFrom(c.var.apiCaller.readOnlyRows, catalog, org.timeZone)
    return c.json(
      {
        org: { id: org.id, name: org.name },
        read_only: readOnly !== null,
        lapsed_at: readOnly?.lapsedAt.toISOString() ?? null,
        deletes_at: readOnly?.deletesAt.toISOString() ?? null,
        products: states
          .filter((s) => s.subscription)
          .map((s) => ({
            product: s.product.key,
            plan: s.subscription!.snapshot.planKey,
            status: s.subscription!.status === 'read_only' ? ('read_only' as const) : ('active' as const),
            licence: s.licenceNumber,
            period_end: s.subscription!.periodEnd?.toISOString() ?? null,
            quotas: s.meters.map((m) => ({ key: m.key, kind: m.kind, limit: m.limit, used: m.used, resets_at: m.resetsAt?.toISOString() ?? null })),
          })),
      },
      200,
    )
  },
)

const UsageRequest = z
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

/** Written by the statement that counts (src/services/usage.ts builds it in SQL, in this order) and stored for replays. */
const UsageResponse = z
  .object({ product: z.string(), quota: z.string(), used: z.number().int(), limit: z.number().int().nullable(), resets_at: z.string().datetime().nullable() })
  .openapi('UsageResponse')

api.openapi(
  createRoute({
    method: 'post',
    path: '/usage',
    summary: 'Record usage of a monthly or total quota (negative quantities only for total quotas)',
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
  }),
  async (c) => {
    const body = c.req.valid('json')
    // The subscriptions offering the quota came with the key's statement, read from this same body.
    const r = await recordUsage(c.var.deps, c.var.apiOrg, { product: body.product, quota: body.quota, quantity: body.quantity, idempotencyKey: body.idempotency_key }, c.var.now, c.var.apiCaller.candidates)
    if (r.ok) {
      // The stored text itself, not a copy re-serialized: a replay is the same bytes.
      const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(r.replayed ? { 'Idempotent-Replayed': 'true' } : {}) }
      return c.body(r.answer, 201, headers) as never
    }
    switch (r.error) {
      case 'quota_exceeded':
        return problem(c, 409, 'quota_exceeded', `The ${r.state.quota} quota is used up.`, {
          quota: r.state.quota,
          limit: r.state.limit,
          used: r.state.used,
          resets_at: r.state.resetsAt?.toISOString() ?? null,
          // What each plan allows, for the vendor app to show its user (issue 16).
          plans: `${c.var.deps.config.baseUrl}${planComparisonPath(r.state.product)}`,
        })
      case 'read_only':
        return problem(c, 423, 'read_only', 'The org’s subscription is read-only until it is renewed or switched to the free plan.')
      case 'unknown_quota':
        return problem(c, 422, 'unknown_quota', `The org has no active product with the quota "${body.quota}".`)
      case 'product_required':
        return problem(c, 422, 'product_required', `Several products of the org have the quota "${body.quota}": name the product.`)
      case 'seats_not_reported':
        return problem(c, 422, 'seats_not_reported', 'Seats are the org’s members; they are not reported through the API.')
      case 'negative_monthly':
        return problem(c, 422, 'negative_monthly', 'Monthly quotas only count up; negative quantities are for total quotas.')
      case 'below_zero':
        return problem(c, 422, 'below_zero', 'This would take the use of the quota below zero.')
      case 'idempotency_key_reused':
        return problem(c, 422, 'idempotency_key_reused', `The idempotency key "${body.idempotency_key}" was used for another request in the last 24 hours.`)
    }
  },
)

const ValidateRequest = z.object({ licence_number: z.string().min(1).max(40) }).openapi('ValidateLicenceRequest', { example: { licence_number: 'KT-7Q2M-4X9P-H3WD' } })
const ValidateResponse = z
  .object({
    valid: z.boolean(),
    licence_number: z.string().optional(),
    product: z.string().optional(),
    plan: z.string().nullable().optional(),
    expires_at: z.string().datetime().nullable().optional(),
  })
  .openapi('ValidateLicenceResponse')

api.openapi(
  createRoute({
    method: 'post',
    path: '/licences/validate',
    summary: 'Whether a licence number is one of the org’s valid licences, with its product, plan and expiry',
    security: [{ bearer: [] }],
    request: { body: { content: { 'application/json': { schema: ValidateRequest } }, required: true } },
    responses: { 200: { description: 'The answer', content: { 'application/json': { schema: ValidateResponse } } }, ...problems(400, 401, 413, 415, 422) },
  }),
  async (c) => {
    const number = normalizeLicenceNumber(c.req.valid('json').licence_number)
    if (!number) return c.json({ valid: false }, 200)
    const org = c.var.apiOrg
    const row = await c.var.deps.db
      .select({ licence: licences, product: products.key, plan: plans.key, status: subscriptions.status })
      .from(licences)
      .innerJoin(products, eq(products.id, licences.productId))
      .leftJoin(subscriptions, eq(subscriptions.id, licences.subscriptionId))
      .leftJoin(plans, eq(plans.id, subscriptions.planId))
      .where(and(eq(licences.orgId, org.id), eq(licences.number, number)))
      .get()
    // Another org's licence looks exactly like one that does not exist.
    if (!row) return c.json({ valid: false }, 200)
    const now = c.var.now
    const expired = row.licence.validUntil !== null && row.licence.validUntil <= now
    const ended = row.status === 'ended'
    return c.json(
      { valid: !expired && !ended, licence_number: number, product: row.product, plan: row.plan, expires_at: row.licence.validUntil?.toISOString() ?? null },
      200,
    )
  },
)

api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API key created by an org administrator' })
// The server names where the paths are, at the configured public address: a client generated from
// a downloaded copy of the document calls /api/v1/usage, not /usage.
api.doc31('/openapi.json', (c) => ({ openapi: '3.1.0', info: { title: 'Kontor vendor API', version: '1' }, servers: [{ url: `${c.var.deps.config.baseUrl}${API_BASE}` }] }))

api.all('*', (c) => problem(c, 404, 'not_found', 'There is no such API endpoint.'))

api.onError(apiError)
