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
  pendingStatements,
  readReviewPage,
  rejectStatement,
  statementWithFile,
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

function reviewPage(c: Ctx, { review, waiting }: { review: Review; waiting: number }, rejectForm: FormState = emptyForm(), error?: MessageKey, status: ContentfulStatusCode = 200) {
  const { t, lang } = c.var
  return page(c, t('ops.statements.detailTitle', { name: review.user.name }), <StatementReviewView t={t} lang={lang} review={review} waiting={waiting} rejectForm={rejectForm} error={error} />, status)
}

const findReview = (c: Ctx) => statementForReview(c.var.deps, c.req.param('id') ?? '')
/** The statement with the queue's length, as the page shows them now. */
const readReview = (c: Ctx) => readReviewPage(c.var.deps, c.req.param('id') ?? '')

opsStatementRoutes.get('/:id', async (c) => {
  const found = await readReview(c)
  return found ? reviewPage(c, found) : c.notFound()
})

/** The scan as stored, with the type recognised from its bytes; `?download=1` saves it instead of showing it. */
opsStatementRoutes.get('/:id/file', async (c) => {
  const found = await statementWithFile(c.var.deps, c.req.param('id'))
  const file = found?.file
  if (!found || !file || !isScanType(file.contentType)) return c.notFound()
  const { review } = found
  const disposition = c.req.query('download') === '1' ? 'attachment' : 'inline'
  return c.body(file.bytes, 200, {
    'Content-Type': file.contentType,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': `${disposition}; filename="statement-${review.statement.id}.${SCAN_EXTENSIONS[file.contentType]}"`,
    'Cache-Control': 'private, no-store',
  })
})

/** After a refused decision: the page as it is now (the statement as it was, should it be gone). */
async function readReviewAgain(c: Ctx, review: Review) {
  return (await readReview(c)) ?? { review, waiting: 0 }
}

opsStatementRoutes.post('/:id/approval', async (c) => {
  const review = await findReview(c)
  if (!review) return c.notFound()
  const r = await approveStatement(c.var.deps, review, c.var.user!, c.var.now)
  if (!r.ok) return reviewPage(c, await readReviewAgain(c, review), emptyForm(), `ops.statements.error.${r.error}`, 409)
  return seeOther(c, '/ops/statements', 'ops.statements.approvedDone', { name: review.user.name, org: review.org.name })
})

opsStatementRoutes.post('/:id/rejection', async (c) => {
  const review = await findReview(c)
  if (!review) return c.notFound()
  const form = await parseForm(c, RejectionForm)
  if (!form.ok) return reviewPage(c, await readReviewAgain(c, review), form, undefined, 422)
  const r = await rejectStatement(c.var.deps, review, c.var.user!, form.data.reason, c.var.now)
  if (!r.ok) return reviewPage(c, await readReviewAgain(c, review), emptyForm(), `ops.statements.error.${r.error}`, 409)
  return seeOther(c, '/ops/statements', 'ops.statements.rejectedDone', { name: review.user.name })
})
