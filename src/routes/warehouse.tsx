// The warehouse ("Magazyny", SPEC §9): units per virtual-product variant, and turning a unit into a
// licence (activation) or units into e-codes (generation). Every member may open the page; it lists
// the products they may manage (all of them for administrators), and each action checks again.
import { Hono } from 'hono'
import { GenerateForm } from '../forms/ecodes'
import { parseForm, type FormState } from '../forms/validate'
import { formatDate } from '../i18n'
import { activateUnit } from '../services/warehouse'
import { warehouseLines } from '../services/warehouse-page'
import { generateECodes } from '../services/ecodes'
import { WarehouseView, type GenerationError } from '../views/warehouse/page'
import { NoPermissionView } from '../views/ecodes/code'
import type { AppEnv } from './env'
import { type Ctx, page, seeOther } from './http'

export const warehousePages = new Hono<AppEnv>()

async function warehousePage(c: Ctx, failed?: GenerationError, status: 200 | 409 | 422 = 200) {
  const { deps, org, user, role, t, lang } = c.var
  const lines = await warehouseLines(deps, org.id, user!, role)
  return page(c, t('warehouse.title'), <WarehouseView t={t} lang={lang} slug={org.slug} lines={lines} failed={failed} />, status)
}

const forbidden = (c: Ctx) => page(c, c.var.t('ecodes.forbidden.title'), <NoPermissionView t={c.var.t} />, 403)

warehousePages.get('/warehouse', (c) => warehousePage(c))

warehousePages.post('/warehouse/:variantId/activations', async (c) => {
  const { deps, org, user, role, now, lang } = c.var
  const r = await activateUnit(deps, org, user!, role, c.req.param('variantId'), now)
  if (!r.ok && r.error === 'not_found') return c.notFound()
  if (!r.ok && r.error === 'forbidden') return forbidden(c)
  if (!r.ok) return warehousePage(c, { variantId: c.req.param('variantId'), form: { values: {}, errors: {} }, message: c.var.t('warehouse.noUnits') }, 409)
  return seeOther(c, `/o/${org.slug}/warehouse`, 'warehouse.activated', { number: r.licenceNumber, date: formatDate(lang, r.validUntil, org.timeZone) })
})

warehousePages.post('/warehouse/:variantId/ecodes', async (c) => {
  const { deps, org, user, role, now, t } = c.var
  const variantId = c.req.param('variantId')
  const form = await parseForm(c, GenerateForm)
  const state: FormState = { values: form.values, errors: form.ok ? {} : form.errors }
  if (!form.ok) return warehousePage(c, { variantId, form: state }, 422)
  const r = await generateECodes(deps, org, user!, role, variantId, form.data.quantity, now)
  if (r.ok) return seeOther(c, `/o/${org.slug}/ecodes?tab=active&variant=${encodeURIComponent(variantId)}`, 'ecodes.generated', { count: r.count })
  switch (r.error) {
    case 'not_found':
      return c.notFound()
    case 'forbidden':
      return forbidden(c)
    case 'not_enough':
      return warehousePage(c, { variantId, form: state, message: t('warehouse.notEnough', { count: r.available }) }, 422)
    case 'collision':
      return warehousePage(c, { variantId, form: state, message: t('warehouse.collision') }, 409)
  }
})
