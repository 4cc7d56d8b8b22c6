// /dev/mail: the outbox as a mailbox for local development. Mounted only outside production.
import { Hono } from 'hono'
import { getOutboxRow, listOutbox } from '../mail/outbox'
import { DevMailListView, DevMailView } from '../views/devmail'
import type { AppEnv } from './env'
import { page } from './http'

export const devMailRoutes = new Hono<AppEnv>()

devMailRoutes.get('/', async (c) => {
  const rows = await listOutbox(c.var.deps.db, 200)
  return page(c, c.var.t('devmail.title'), <DevMailListView t={c.var.t} lang={c.var.lang} rows={rows} />)
})

devMailRoutes.get('/:id', async (c) => {
  const row = await getOutboxRow(c.var.deps.db, c.req.param('id'))
  if (!row) return c.notFound()
  return page(c, row.subject, <DevMailView t={c.var.t} lang={c.var.lang} row={row} />)
})

// The HTML part, framed by the page above (its own security headers are set in app.tsx: inline
// styles allowed, sandboxed, framable only by this site).
devMailRoutes.get('/:id/html', async (c) => {
  const row = await getOutboxRow(c.var.deps.db, c.req.param('id'))
  if (!row) return c.notFound()
  return c.html(row.html)
})
