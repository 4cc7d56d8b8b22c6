// The operators' back office (SPEC §15): organizations, the catalog, the outbox, the job runs and
// (outside production) the test clock.
import { Hono } from 'hono'
import { and, desc, eq, lt } from 'drizzle-orm'
import { z } from 'zod'
import { jobRuns } from '../db/schema'
import { JOBS, type JobName } from '../jobs'
import { listOutbox } from '../mail/outbox'
import { JobRunsView, OpsHomeView, OutboxView } from '../views/ops/ops'
import { opsCatalogRoutes } from './ops-catalog'
import { opsClockRoutes } from './ops-clock'
import type { AppEnv } from './env'
import { page } from './http'
import { requireOperator } from './guards'
import { opsOrgRoutes } from './ops-orgs'
import { opsOrderRoutes } from './ops-orders'
import { opsStatementRoutes } from './ops-statements'
import { opsEInvoiceRoutes } from './ops-einvoices'

export const opsRoutes = new Hono<AppEnv>()
opsRoutes.use(requireOperator)
opsRoutes.route('/orgs', opsOrgRoutes)
opsRoutes.route('/orders', opsOrderRoutes)
opsRoutes.route('/statements', opsStatementRoutes)
opsRoutes.route('/einvoices', opsEInvoiceRoutes)

opsRoutes.get('/', (c) => page(c, c.var.t('ops.title'), <OpsHomeView t={c.var.t} />))

opsRoutes.get('/outbox', async (c) => {
  const rows = await listOutbox(c.var.deps.db, 200)
  return page(c, c.var.t('ops.outbox'), <OutboxView t={c.var.t} lang={c.var.lang} rows={rows} />)
})

const RUNS_PAGE = 50
/** Typed or edited links fall back to all jobs and the newest page rather than an error. */
const RunsQuery = z.object({ job: z.enum(Object.keys(JOBS) as [JobName, ...JobName[]]).nullable().catch(null), before: z.coerce.number().int().positive().nullable().catch(null) })

// Newest first by id (the order runs started in; asOf may be simulated), a page at a time.
opsRoutes.get('/jobs', async (c) => {
  const { job, before } = RunsQuery.parse({ job: c.req.query('job') ?? null, before: c.req.query('before') ?? null })
  const rows = await c.var.deps.db
    .select()
    .from(jobRuns)
    .where(and(job ? eq(jobRuns.job, job) : undefined, before ? lt(jobRuns.id, before) : undefined))
    .orderBy(desc(jobRuns.id))
    .limit(RUNS_PAGE + 1)
  const runs = rows.slice(0, RUNS_PAGE)
  const link = (q: Record<string, string>) => `/ops/jobs${Object.keys(q).length ? `?${new URLSearchParams(q)}` : ''}`
  const filter: Record<string, string> = job ? { job } : {}
  const older = rows.length > RUNS_PAGE ? link({ ...filter, before: String(runs.at(-1)!.id) }) : null
  const p = { runs, jobs: Object.keys(JOBS), job, older, newest: before ? link(filter) : null }
  return page(c, c.var.t('ops.jobs'), <JobRunsView t={c.var.t} lang={c.var.lang} p={p} />)
})

opsRoutes.route('/clock', opsClockRoutes)

opsRoutes.route('/catalog', opsCatalogRoutes)
