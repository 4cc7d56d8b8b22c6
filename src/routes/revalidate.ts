// Pages are never shown stale: a public page (one that set no Cache-Control of its own) answers
// `Cache-Control: private, no-cache` with a weak ETag of its bytes, so a browser asks again each time
// and, when nothing changed, gets 304 with no body. Personal pages are `no-store` (page() in
// src/routes/http.tsx) and get no ETag. Static files are the opposite: fingerprinted, kept a year.
import { createMiddleware } from 'hono/factory'
import { sha256Hex } from '../auth/tokens'

export const revalidatePages = createMiddleware(async (c, next) => {
  await next()
  const res = c.res
  if (c.req.method !== 'GET' || res.status !== 200 || !res.headers.get('Content-Type')?.startsWith('text/html')) return
  if (!res.headers.has('Cache-Control')) res.headers.set('Cache-Control', 'private, no-cache')
  if (res.headers.get('Cache-Control')!.includes('no-store')) return
  // Read whole and handed on as bytes (a clone would tee the body's stream for nothing).
  const body = new Uint8Array(await res.arrayBuffer())
  const etag = `W/"${sha256Hex(body).slice(0, 32)}"`
  const headers = new Headers(res.headers)
  headers.set('ETag', etag)
  c.res = undefined
  c.res = matches(c.req.header('If-None-Match'), etag) ? new Response(null, { status: 304, headers }) : new Response(body, { status: res.status, headers })
})

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  return ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
}
