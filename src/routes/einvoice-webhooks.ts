// SdI's notifications, relayed by the intermediary: POST /webhooks/sdi, outside any session or org.
// The signature over the raw body and its timestamp are checked before anything is read; each
// notification id counts once (src/services/einvoice-notifications.ts). A notification for a file
// Kontor has not recorded as sent yet gets 404 so the intermediary delivers it again later.
import { Hono } from 'hono'
import type { AppEnv } from './env'
import { SdiChannel } from '../einvoice/sdi/channel'
import { Notification, SIGNATURE_HEADER, verifySignature } from '../einvoice/sdi/webhook'
import { applyNotification } from '../services/einvoice-notifications'

export const einvoiceWebhookRoutes = new Hono<AppEnv>()

einvoiceWebhookRoutes.post('/sdi', async (c) => {
  const { deps, now } = c.var
  const channel = deps.einvoicing?.channel
  if (!(channel instanceof SdiChannel)) return c.json({ error: 'not_found' }, 404)
  const raw = await c.req.text()
  const verdict = await verifySignature(channel.settings.webhookSecret, c.req.header(SIGNATURE_HEADER), raw, now)
  if (verdict !== 'ok') return c.json({ error: verdict === 'stale' ? 'stale_timestamp' : 'invalid_signature' }, 400)
  let parsed
  try {
    parsed = Notification.safeParse(JSON.parse(raw))
  } catch {
    return c.json({ error: 'invalid_json' }, 400)
  }
  if (!parsed.success) return c.json({ error: 'invalid_notification', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 400)
  const result = await applyNotification(deps.db, parsed.data, now)
  if (result === 'unknown_invoice') return c.json({ error: 'unknown_invoice' }, 404)
  return c.json({ received: true, result })
})
