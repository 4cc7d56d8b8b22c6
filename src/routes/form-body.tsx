// Every form body is read once, strictly, before the route sees it (src/forms/body.ts): one that
// can't be read is a 400 page saying so, never a 500 or a value with U+FFFD in it. The parsed form
// goes into Hono's body cache, so `c.req.parseBody()` — readForm and the routes that call it
// directly — returns exactly what was checked here.
import type { MiddlewareHandler } from 'hono'
import { formMediaType, parseFormBody } from '../forms/body'
import { BadRequestView } from '../views/errors'
import type { AppEnv } from './env'
import { page } from './http'

export const readableForm: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.method === 'GET' || c.req.method === 'HEAD' ? null : formMediaType(c.req.header('Content-Type'))
  if (!type) return next()
  const form = await parseFormBody(new Uint8Array(await c.req.arrayBuffer()), type, c.req.header('Content-Type')!)
  if (!form) return page(c, c.var.t('error.badRequest.title'), <BadRequestView t={c.var.t} />, 400)
  c.req.bodyCache.formData = form
  return next()
}
