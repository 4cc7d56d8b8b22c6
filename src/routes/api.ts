// The vendor API (SPEC §12), /api/v1: what an org may do. Bearer API keys, no cookies; every error is
// application/problem+json (src/routes/api-problems.ts); the OpenAPI 3.1 document is generated from
// the same zod schemas that validate the requests (/api/v1/openapi.json).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { and, eq } from 'drizzle-orm'
import { licences, plans, products, subscriptions } from '../db/schema'
import { authenticateApiKey } from '../services/api-keys'
import { orgProducts } from '../services/subscriptions'
import { readOnlyFrom } from '../services/read-only'
import { cachedCatalog } from '../db/catalog-cache'
import { normalizeLicenceNumber } from '../domain/licence-number'
import { apiReadOnlyGuard } from './read-only'
import { runInBackground } from './http'
import { API_BASE, apiBodyLimit, apiError, methodsAllowed, problem, problems, requireJsonBody } from './api-problems'
import { bearerKey, documentUsage, invalidRequest, reportInOneTrip, unauthorized, type ApiEnv } from './api-usage'

export const api = new OpenAPIHono<ApiEnv>({
  defaultHook: (result, c) => {
    if (!result.success) return invalidRequest(c, result.error) as never
  },
})

/** The key check, in one statement with what comes next: the org's read-only state (for the guard below). */
const requireApiKey = async (c: Context<ApiEnv>, next: () => Promise<void>) => {
  const key = bearerKey(c)
  const found = key ? await authenticateApiKey(c.var.deps, key, c.var.now) : null
  if (!found) return unauthorized(c)
  const { touch, now, ...caller } = found
  if (touch) runInBackground(c, touch)
  c.set('now', now)
  c.set('apiOrg', caller.org)
  c.set('apiCaller', caller)
  await next()
}

// Before the key is looked up: what the request is, then who asks. (An unknown path is 404 below.)
api.use('*', methodsAllowed(() => api.routes))
for (const takesBody of ['/usage', '/licences/*']) api.use(takesBody, apiBodyLimit, requireJsonBody)
// A usage report that reads well is answered here, key check included, in one round trip
// (src/routes/api-usage.ts); one that does not goes on like any other call.
api.use('/usage', reportInOneTrip)
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

documentUsage(api)

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
