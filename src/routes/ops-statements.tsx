// The back office's review of signed statements (SPEC §3.2, §15): the queue, one statement with its
// scan (served from here, as stored), approval and rejection with a reason.
import { Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { RejectionForm } from '../forms/statements'
import { parseForm, type FormState } from '../forms/validate'
import type { MessageKey } from '../i18n'
import { isScanType, SCAN_EXTENSIONS } from '../domain/uploads'
import {
  approveStatement,
  countPendingStatements,
  pendingStatements,
  rejectStatement,
  statementFile,
  statementForReview,
  type Review,
} from '../services/statements'
import { emptyForm } from '../views/components/form'
import { StatementQueueView, StatementReviewView } from '../views/ops/statements'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'

export const opsStatementRoutes = new Hono<AppEnv>()

opsStatementRoutes.get('/', async (c) => {
  const rows = await pendingStatements(c.var.deps)
  return page(c, c.var.t('ops.statements'), <StatementQueueView t={c.var.t} lang={c.var.lang} rows={rows} />)
})

async function reviewPage(c: Ctx, review: Review, rejectForm: FormState = emptyForm(), error?: MessageKey, status: ContentfulStatusCode = 200) {
  const { t, lang } = c.var
  const waiting = await countPendingStatements(c.var.deps)
  return page(c, t('ops.statements.detailTitle', { name: review.user.name }), <StatementReviewView t={t} lang={lang} review={review} waiting={waiting} rejectForm={rejectForm} error={error} />, status)
}

const findReview = (c: Ctx) => statementForReview(c.var.deps, c.req.param('id') ?? '')

opsStatementRoutes.get('/:id', async (c) => {
  const review = await findReview(c)
  return review ? reviewPage(c, review) : c.notFound()
})

/** The scan as stored, with the type recognised from its bytes; `?download=1` saves it instead of showing it. */
opsStatementRoutes.get('/:id/file', async (c) => {
  const review = await findReview(c)
  const file = review && (await statementFile(c.var.deps, review.statement))
  if (!review || !file || !isScanType(file.contentType)) return c.notFound()
  const disposition = c.req.query('download') === '1' ? 'attachment' : 'inline'
  return c.body(file.bytes, 200, {
    'Content-Type': file.contentType,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': `${disposition}; filename="statement-${review.statement.id}.${SCAN_EXTENSIONS[file.contentType]}"`,
    'Cache-Control': 'private, no-store',
  })
})

opsStatementRoutes.post('/:id/approval', async (c) => {
  const review = await findReview(c)
  if (!review) return c.notFound()
  const r = await approveStatement(c.var.deps, review, c.var.user!, c.var.now)
  if (!r.ok) return reviewPage(c, (await findReview(c)) ?? review, emptyForm(), `ops.statements.error.${r.error}`, 409)
  return seeOther(c, '/ops/statements', 'ops.statements.approvedDone', { name: review.user.name, org: review.org.name })
})

opsStatementRoutes.post('/:id/rejection', async (c) => {
  const review = await findReview(c)
  if (!review) return c.notFound()
  const form = await parseForm(c, RejectionForm)
  if (!form.ok) return reviewPage(c, review, form, undefined, 422)
  const r = await rejectStatement(c.var.deps, review, c.var.user!, form.data.reason, c.var.now)
  if (!r.ok) return reviewPage(c, (await findReview(c)) ?? review, emptyForm(), `ops.statements.error.${r.error}`, 409)
  return seeOther(c, '/ops/statements', 'ops.statements.rejectedDone', { name: review.user.name })
})
