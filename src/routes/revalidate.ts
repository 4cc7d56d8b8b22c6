// Pages are never shown stale: a public page (one that set no Cache-Control of its own) answers
// `Cache-Control: private, no-cache` with a weak ETag of its bytes, so a browser asks again each time
// and, when nothing changed, gets 304 with no body. Personal pages are `no-store` (page() in
// src/routes/http.tsx) and get no ETag. Static files are the opposite: fingerprinted, kept a year.
import { createMiddleware } from 'hono/factory'
import { encodeHexLowerCase } from '@oslojs/encoding'

export const revalidatePages = createMiddleware(async (c, next) => {
  await next()
  const res = c.res
  if (c.req.method !== 'GET' || res.status !== 200 || !res.headers.get('Content-Type')?.startsWith('text/html')) return
  if (!res.headers.has('Cache-Control')) res.headers.set('Cache-Control', 'private, no-cache')
  if (res.headers.get('Cache-Control')!.includes('no-store')) return
  const body = await res.clone().arrayBuffer()
  const etag = `W/"${encodeHexLowerCase(new Uint8Array(await crypto.subtle.digest('SHA-256', body))).slice(0, 32)}"`
  if (matches(c.req.header('If-None-Match'), etag)) {
    c.res = new Response(null, { status: 304, headers: res.headers })
    c.res.headers.set('ETag', etag)
    return
  }
  res.headers.set('ETag', etag)
})

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  return ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')
}
