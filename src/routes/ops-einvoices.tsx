// The back office's e-invoices (issue 18): the list of invoices KSeF or SdI refused or has not
// taken yet, and re-issuing a refused one after its data was corrected (a conditional update: a
// second click, or one on an invoice no longer refused, changes nothing).
import { Hono } from 'hono'
import { eq } from 'drizzle-orm'
import { readTogether } from '../db/client'
import { invoices } from '../db/schema'
import { opsEInvoiceReads, reissueSubmission } from '../services/einvoices'
import { EInvoicesView } from '../views/ops/einvoices'
import type { AppEnv } from './env'
import { page, seeOther } from './http'

export const opsEInvoiceRoutes = new Hono<AppEnv>()

opsEInvoiceRoutes.get('/', async (c) => {
  const { deps, t, lang } = c.var
  const { rows, accepted } = await readTogether(deps.db, opsEInvoiceReads(deps.db))
  const name = deps.einvoicing?.channel.name
  const system = name === 'ksef' ? 'KSeF' : name === 'sdi' ? 'SdI' : null
  return page(c, t('ops.einvoices'), <EInvoicesView t={t} lang={lang} system={system} rows={rows} accepted={accepted[0]?.n ?? 0} />)
})

opsEInvoiceRoutes.post('/:invoiceId/reissue', async (c) => {
  const { deps, now } = c.var
  const invoiceId = c.req.param('invoiceId')
  const invoice = await deps.db.select({ number: invoices.number }).from(invoices).where(eq(invoices.id, invoiceId)).get()
  if (!invoice) return c.notFound()
  if (!(await reissueSubmission(deps.db, invoiceId, now))) return seeOther(c, '/ops/einvoices', 'ops.einvoices.notRejected')
  return seeOther(c, '/ops/einvoices', 'ops.einvoices.reissued', { number: invoice.number })
})
