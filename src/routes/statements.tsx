// Administrator rights by a signed statement (SPEC §3.2), the member's side: the page that explains
// the steps, the pre-filled PDF, and the upload of the signed scan. Mounted under /o/:slug.
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { MessageKey } from '../i18n'
import { displayTaxId } from '../domain/tax-id'
import { MAX_SCAN_BYTES } from '../domain/uploads'
import { statementPdf } from '../pdf/statement'
import { memberStatements, uploadStatement, type UploadResult } from '../services/statements'
import { StatementView } from '../views/statements/statement'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'
import { readableForm } from './form-body'

export const statementPages = new Hono<AppEnv>()

/**
 * The upload's own body limit: the largest scan plus room for the multipart envelope. The app's
 * 64 KB limit skips this one route (src/app.tsx), which is reached only after the membership check.
 */
export const STATEMENT_UPLOAD_PATH = /^\/o\/[^/]+\/statements$/
const UPLOAD_BODY_LIMIT = MAX_SCAN_BYTES + 512 * 1024

async function statementPage(c: Ctx, error?: MessageKey, status: ContentfulStatusCode = 200) {
  const { deps, org, role, user, t, lang } = c.var
  const mine = await memberStatements(deps, org.id, user!.id)
  return page(c, t('statement.title'), <StatementView t={t} lang={lang} org={org} role={role} vendor={deps.config.vendorName} {...mine} error={error} />, status)
}

statementPages.get('/statement', (c) => statementPage(c))

statementPages.get('/statement.pdf', async (c) => {
  const { deps, org, user, lang, now } = c.var
  const pdf = await statementPdf({
    lang,
    vendor: deps.config.vendorName,
    company: org.name,
    taxId: org.taxId ? displayTaxId(org.taxId) : null,
    email: user!.email,
    name: user!.name,
    uploadUrl: `${deps.config.baseUrl}/o/${org.slug}/statement`,
    now,
    timeZone: org.timeZone,
  })
  return c.body(pdf, 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': `attachment; filename="statement-${org.slug}.pdf"`,
    'Cache-Control': 'no-store',
  })
})

const REFUSED: Record<Exclude<UploadResult, { ok: true }>['error'], ContentfulStatusCode> = {
  empty: 422,
  too_large: 413,
  unsupported: 415,
  pending: 409,
  admin: 409,
}

statementPages.post(
  '/statements',
  bodyLimit({ maxSize: UPLOAD_BODY_LIMIT, onError: (c) => statementPage(c as Ctx, 'statement.error.too_large', 413) }),
  readableForm,
  async (c) => {
    const file = (await c.req.parseBody()).file
    // A form sent without choosing a file still carries the field, empty and without a name.
    if (!(file instanceof File) || (file.size === 0 && !file.name)) return statementPage(c, 'statement.error.missing', 422)
    const { deps, org, user, role, now } = c.var
    const r = await uploadStatement(deps, org, user!, role, { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name }, now)
    if (!r.ok) return statementPage(c, `statement.error.${r.error}`, REFUSED[r.error])
    return seeOther(c, `/o/${org.slug}/statement`, 'statement.uploaded')
  },
)
