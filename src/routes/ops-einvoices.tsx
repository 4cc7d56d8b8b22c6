// The back office's e-invoices (issue 18): the list of invoices KSeF or SdI refused or has not
// taken yet, and re-issuing a refused one after its data was corrected (a conditional update: a
// second click, or one on an invoice no longer refused, changes nothing). For a Polish seller, the
// KSeF failures the Ministry declared, recorded by operators (emergency mode).
import { Hono } from 'hono'
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { readTogether } from '../db/client'
import { operatorActor } from '../db/history'
import { invoices } from '../db/schema'
import { momentField, momentIn, optionalMomentField } from '../forms/moment'
import { parseForm } from '../forms/validate'
import { einvoiceReceipt, opsEInvoiceReads, reissueSubmission } from '../services/einvoices'
import { declareKsefFailure, endKsefFailure, ksefFailuresOf, type FailureError } from '../services/ksef-failures'
import { emptyForm } from '../views/components/form'
import { EInvoicesView } from '../views/ops/einvoices'
import { POLISH_TIME, type FailureForms } from '../views/ops/ksef-failures'
import type { AppEnv } from './env'
import { page, seeOther, type Ctx } from './http'

export const opsEInvoiceRoutes = new Hono<AppEnv>()

const moment = momentField('ops.ksefFailures.field.moment')
const DeclareForm = z.object({ from: moment, until: optionalMomentField('ops.ksefFailures.field.moment').default('') })
const EndForm = z.object({ until: moment })

async function einvoicesPage(c: Ctx, forms: Partial<FailureForms> = {}, status: ContentfulStatusCode = 200) {
  const { deps, t, lang, now } = c.var
  const { rows, counts, accepted, failures } = await readTogether(deps.db, opsEInvoiceReads(deps.db))
  const name = deps.einvoicing?.channel.name
  const system = name === 'ksef' ? 'KSeF' : name === 'sdi' ? 'SdI' : null
  const byState = Object.fromEntries(counts.map((r) => [r.state, Number(r.n)]))
  const ksef = deps.config.vendor.country === 'PL' ? { failures: ksefFailuresOf(failures), forms: { declare: emptyForm(), end: emptyForm(), ...forms } } : null
  return page(c, t('ops.einvoices'), <EInvoicesView t={t} lang={lang} system={system} rows={rows} counts={byState} accepted={accepted} now={now} ksef={ksef} />, status)
}

opsEInvoiceRoutes.get('/', (c) => einvoicesPage(c))

// Only a Polish seller's invoices go to KSeF: elsewhere there is no failure to record.
opsEInvoiceRoutes.use('/failures/*', async (c, next) => {
  if (c.var.deps.config.vendor.country !== 'PL') return c.notFound()
  await next()
})

/** What a refused record says, and its status: the operator's input to correct (422), or someone else's change (409). */
function refused(c: Ctx, error: FailureError, forms: Partial<FailureForms>) {
  return einvoicesPage(c, { ...forms, error: `ops.ksefFailures.error.${error}` }, error === 'changed' || error === 'not_ongoing' ? 409 : 422)
}

opsEInvoiceRoutes.post('/failures', async (c) => {
  const form = await parseForm(c, DeclareForm)
  if (!form.ok) return einvoicesPage(c, { declare: form }, 422)
  const { from, until } = form.data
  const r = await declareKsefFailure(c.var.deps.db, operatorActor(c.var.user!), { from: momentIn(from, POLISH_TIME), until: until ? momentIn(until, POLISH_TIME) : null }, c.var.now)
  return r.ok ? seeOther(c, '/ops/einvoices', 'ops.ksefFailures.declared') : refused(c, r.error, { declare: emptyForm(form.values) })
})

opsEInvoiceRoutes.post('/failures/end', async (c) => {
  const form = await parseForm(c, EndForm)
  if (!form.ok) return einvoicesPage(c, { end: form }, 422)
  const r = await endKsefFailure(c.var.deps.db, operatorActor(c.var.user!), momentIn(form.data.until, POLISH_TIME), c.var.now)
  return r.ok ? seeOther(c, '/ops/einvoices', 'ops.ksefFailures.endRecorded') : refused(c, r.error, { end: emptyForm(form.values) })
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
