// The operators' back office (SPEC §15): organizations, the catalog, the outbox and the job runs.
import { Hono } from 'hono'
import { desc } from 'drizzle-orm'
import { jobRuns } from '../db/schema'
import { listOutbox } from '../mail/outbox'
import { JobRunsView, OpsHomeView, OutboxView } from '../views/ops/ops'
import { opsCatalogRoutes } from './ops-catalog'
import type { AppEnv } from './env'
import { page } from './http'
import { requireOperator } from './guards'
import { opsOrgRoutes } from './ops-orgs'
import { opsOrderRoutes } from './ops-orders'
import { opsStatementRoutes } from './ops-statements'

export const opsRoutes = new Hono<AppEnv>()
opsRoutes.use(requireOperator)
opsRoutes.route('/orgs', opsOrgRoutes)
opsRoutes.route('/orders', opsOrderRoutes)
opsRoutes.route('/statements', opsStatementRoutes)

opsRoutes.get('/', (c) => page(c, c.var.t('ops.title'), <OpsHomeView t={c.var.t} />))

opsRoutes.get('/outbox', async (c) => {
  const rows = await listOutbox(c.var.deps.db, 200)
  return page(c, c.var.t('ops.outbox'), <OutboxView t={c.var.t} lang={c.var.lang} rows={rows} />)
})

opsRoutes.get('/jobs', async (c) => {
  const runs = await c.var.deps.db.select().from(jobRuns).orderBy(desc(jobRuns.startedAt), desc(jobRuns.id)).limit(200)
  return page(c, c.var.t('ops.jobs'), <JobRunsView t={c.var.t} lang={c.var.lang} runs={runs} />)
})

opsRoutes.route('/catalog', opsCatalogRoutes)
