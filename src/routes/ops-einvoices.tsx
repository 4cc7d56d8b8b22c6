// The back office's e-invoices (issue 18): the list of invoices KSeF or SdI refused or has not
// taken yet, and re-issuing a refused one after its data was corrected (a conditional update: a
// second click, or one on an invoice no longer refused, changes nothing).
import { Hono } from 'hono'
import { eq } from 'drizzle-orm'
import { readTogether } from '../db/client'
import { invoices } from '../db/schema'
import { einvoiceReceipt, opsEInvoiceReads, reissueSubmission } from '../services/einvoices'
import { EInvoicesView } from '../views/ops/einvoices'
import type { AppEnv } from './env'
import { page, seeOther } from './http'

export const opsEInvoiceRoutes = new Hono<AppEnv>()

opsEInvoiceRoutes.get('/', async (c) => {
  const { deps, t, lang, now } = c.var
  const { rows, counts, accepted } = await readTogether(deps.db, opsEInvoiceReads(deps.db))
  const name = deps.einvoicing?.channel.name
  const system = name === 'ksef' ? 'KSeF' : name === 'sdi' ? 'SdI' : null
  const byState = Object.fromEntries(counts.map((r) => [r.state, Number(r.n)]))
  return page(c, t('ops.einvoices'), <EInvoicesView t={t} lang={lang} system={system} rows={rows} counts={byState} accepted={accepted} now={now} />)
})

/** The receipt of an accepted invoice (KSeF's UPO), as the system gave it, named after the invoice. */
opsEInvoiceRoutes.get('/:invoiceId/receipt', async (c) => {
  const found = await einvoiceReceipt(c.var.deps.db, c.req.param('invoiceId'))
  if (!found) return c.notFound()
  return c.body(found.receipt, 200, {
    'Content-Type': 'application/xml; charset=utf-8',
    'Content-Disposition': `attachment; filename="UPO-${found.number.replaceAll('/', '-')}.xml"`,
    'Cache-Control': 'no-store',
  })
})

opsEInvoiceRoutes.post('/:invoiceId/reissue', async (c) => {
  const { deps, now } = c.var
  const invoiceId = c.req.param('invoiceId')
  const invoice = await deps.db.select({ number: invoices.number }).from(invoices).where(eq(invoices.id, invoiceId)).get()
  if (!invoice) return c.notFound()
  if (!(await reissueSubmission(deps.db, invoiceId, now))) return seeOther(c, '/ops/einvoices', 'ops.einvoices.notRejected')
  return seeOther(c, '/ops/einvoices', 'ops.einvoices.reissued', { number: invoice.number })
})
