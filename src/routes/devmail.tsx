// /dev/mail: the outbox as a mailbox for local development. Mounted only outside production.
import { Hono } from 'hono'
import type { Deps } from '../deps'
import { getOutboxRow, listOutbox, type OutboxRow } from '../mail/outbox'
import { isErased, openMailBody, type MailBody } from '../mail/sealed'
import { DevMailListView, DevMailView } from '../views/devmail'
import type { AppEnv } from './env'
import { page } from './http'

export const devMailRoutes = new Hono<AppEnv>()

/** The body to show: a sealed mail opened, or why there is none (erased once sent, sealed under another key). */
async function bodyOf(deps: Deps, row: OutboxRow): Promise<MailBody | 'erased' | 'unopenable'> {
  if (isErased(row)) return 'erased'
  try {
    return await openMailBody(deps.config.ecodeSecrets.encryptionKey, row)
  } catch {
    return 'unopenable'
  }
}

devMailRoutes.get('/', async (c) => {
  const rows = await listOutbox(c.var.deps.db, 200)
  return page(c, c.var.t('devmail.title'), <DevMailListView t={c.var.t} lang={c.var.lang} rows={rows} />)
})

devMailRoutes.get('/:id', async (c) => {
  const row = await getOutboxRow(c.var.deps.db, c.req.param('id'))
  if (!row) return c.notFound()
  return page(c, row.subject, <DevMailView t={c.var.t} lang={c.var.lang} row={row} body={await bodyOf(c.var.deps, row)} />)
})

// The HTML part, framed by the page above (its own security headers are set in app.tsx: inline
// styles allowed, sandboxed, framable only by this site). Its links open in the whole tab, as a
// mail client opens them in a browser: inside the frame, the app's pages (which refuse to be framed)
// would show the browser's error page instead.
devMailRoutes.get('/:id/html', async (c) => {
  const row = await getOutboxRow(c.var.deps.db, c.req.param('id'))
  if (!row) return c.notFound()
  const body = await bodyOf(c.var.deps, row)
  if (typeof body === 'string') return c.notFound()
  return c.html(linksOpenTheTab(body.html))
})

/** The mail's HTML with `<base target="_top">` first in its head (or in front, when it has none). */
export function linksOpenTheTab(html: string): string {
  const base = '<base target="_top">'
  const head = /<head(\s[^>]*)?>/i.exec(html)
  return head ? html.slice(0, head.index + head[0].length) + base + html.slice(head.index + head[0].length) : base + html
}

// An attachment (a voucher's PDF), downloaded as the recipient would get it.
devMailRoutes.get('/:id/attachments/:index', async (c) => {
  const index = c.req.param('index')
  const row = /^\d{1,3}$/.test(index) ? await getOutboxRow(c.var.deps.db, c.req.param('id')) : undefined
  if (!row) return c.notFound()
  const body = await bodyOf(c.var.deps, row)
  const file = typeof body === 'string' ? undefined : body.attachments?.[Number(index)]
  if (!file) return c.notFound()
  const name = file.filename.replace(/[^\w.-]/g, '_')
  return c.body(Uint8Array.from(atob(file.contentBase64), (ch) => ch.charCodeAt(0)), 200, {
    'Content-Type': file.contentType,
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
  })
})
