// Settings → API keys for the org's administrators (SPEC §12).
import { Hono } from 'hono'
import { z } from 'zod'
import { parseForm, type FormState } from '../forms/validate'
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys'
import { emptyForm } from '../views/components/form'
import { ApiKeysView } from '../views/api-keys/api-keys'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'
import { requireAdmin } from './tenant'
import { oneLine } from '../forms/text'

export const apiKeyPages = new Hono<AppEnv>()
apiKeyPages.use('/settings/api-keys', requireAdmin)
apiKeyPages.use('/api-keys/*', requireAdmin)
apiKeyPages.use('/api-keys', requireAdmin)

const KeyForm = z.object({ name: oneLine(z.string({ message: 'field.required' }).trim().min(1, { message: 'field.required' }).max(100, { message: 'field.tooLong' })) })

async function keysPage(c: Ctx, extra: { form?: FormState; created?: string } = {}, status: 200 | 422 = 200) {
  const { org, t, lang } = c.var
  const keys = await listApiKeys(c.var.deps, org.id)
  return page(c, t('apiKeys.title'), <ApiKeysView t={t} lang={lang} slug={org.slug} timeZone={org.timeZone} keys={keys} form={extra.form ?? emptyForm()} created={extra.created} />, status)
}

apiKeyPages.get('/settings/api-keys', (c) => keysPage(c))

apiKeyPages.post('/api-keys', async (c) => {
  const r = await parseForm(c, KeyForm)
  if (!r.ok) return keysPage(c, { form: r }, 422)
  const { key } = await createApiKey(c.var.deps, c.var.org, c.var.user!, r.data.name, c.var.now)
  // Shown once, on this response only (never redirected to a page that could show it again).
  return keysPage(c, { created: key })
})

apiKeyPages.post('/api-keys/:id/revocation', async (c) => {
  const done = await revokeApiKey(c.var.deps, c.var.org, c.var.user!, c.req.param('id'), c.var.now)
  if (!done) return c.notFound()
  return seeOther(c, `/o/${c.var.org.slug}/settings/api-keys`, 'apiKeys.revokedFlash')
})
