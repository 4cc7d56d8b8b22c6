// What a browser downloads for a page (issue 17): the HTML as served, and every stylesheet and script
// it links — htmx named on its own — plain, gzipped (level 6, what a compressing server typically
// sends) and brotli'd (quality 11, what precompressed files can be). Each file is fetched once per
// run (the same stylesheet and htmx serve every page; a browser caches them after the first).
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Seeded } from './seed'
import { SESSION_COOKIE } from './production-env'

type App = { request: (path: string, init?: RequestInit) => Response | Promise<Response> }
export type Sizes = { bytes: number; gzip: number; brotli: number }
export type PageWeight = { label: string; path: string; html: Sizes; css: Sizes; htmx: Sizes; otherJs: Sizes; total: Sizes }

const ZERO: Sizes = { bytes: 0, gzip: 0, brotli: 0 }
const add = (a: Sizes, b: Sizes): Sizes => ({ bytes: a.bytes + b.bytes, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli })

export function sizesOf(body: Buffer): Sizes {
  return {
    bytes: body.length,
    gzip: gzipSync(body, { level: 6 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }).length,
  }
}

/** The files a page links, by kind: stylesheets, and scripts (htmx told apart by its name). */
export function linkedFiles(html: string): { css: string[]; scripts: string[] } {
  const css = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)].map((m) => /\bhref="([^"]+)"/.exec(m[0])?.[1]).filter((x): x is string => !!x)
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!)
  return { css, scripts }
}

export const isHtmx = (src: string) => /\/htmx[.-]/.test(src)

/** Weighs pages on one app (in-process, or any server through a fetch-like `request`), files fetched once each. */
export function pageWeigher(app: App) {
  const files = new Map<string, Promise<Sizes>>()
  const file = (path: string) => {
    let got = files.get(path)
    if (!got) {
      got = (async () => {
        const res = await app.request(path, { headers: { 'accept-encoding': 'identity' } })
        if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`)
        return sizesOf(Buffer.from(await res.arrayBuffer()))
      })()
      files.set(path, got)
    }
    return got
  }
  return async (label: string, path: string, init: RequestInit = {}): Promise<PageWeight> => {
    const headers = { ...(init.headers as Record<string, string>), 'accept-encoding': 'identity' }
    const res = await app.request(path, { ...init, headers })
    const body = Buffer.from(await res.arrayBuffer())
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`)
    const html = sizesOf(body)
    const linked = linkedFiles(body.toString('utf8'))
    const sum = async (paths: string[]) => (await Promise.all(paths.map(file))).reduce(add, ZERO)
    const css = await sum(linked.css)
    const htmx = await sum(linked.scripts.filter(isHtmx))
    const otherJs = await sum(linked.scripts.filter((s) => !isHtmx(s)))
    return { label, path, html, css, htmx, otherJs, total: [html, css, htmx, otherJs].reduce(add, ZERO) }
  }
}

/** A fetch-backed `request` for a running server at `baseUrl`. */
export const overHttp = (baseUrl: string): App => ({ request: (path, init) => fetch(`${baseUrl}${path}`, init) })

/** The main run's pages a customer opens most, weighed over HTTP; a page that does not answer 200 is left out, said through `log`. */
export async function mainPageWeights(
  baseUrl: string,
  o: { seeded: Seeded; firstHistoryPath: string; activeTab: string; personalizedCode: string },
  log: (m: string) => void,
): Promise<PageWeight[]> {
  const weigh = pageWeigher(overHttp(baseUrl))
  const big = o.seeded.big
  const asAdmin = { headers: { cookie: `${SESSION_COOKIE}=${big.adminTokens[0]}` } }
  const weights: PageWeight[] = []
  for (const [label, path, init] of [
    ['GET /login', '/login', {}],
    ['GET /r/<code> (personalized)', `/r/${o.personalizedCode}`, {}],
    ['GET /account', '/account', { headers: { cookie: `${SESSION_COOKIE}=${o.seeded.freshTokens[0]}` } }],
    [`GET /o/${big.slug}`, `/o/${big.slug}`, asAdmin],
    ['members', `/o/${big.slug}/settings/users`, asAdmin],
    ['history', o.firstHistoryPath, asAdmin],
    ['orders', `/o/${big.slug}/orders`, asAdmin],
    ['e-codes, Active tab', o.activeTab, asAdmin],
    ['requests', `/o/${big.slug}/requests`, asAdmin],
    ['warehouse', `/o/${big.slug}/warehouse`, asAdmin],
    ['/buy', '/buy', asAdmin],
  ] as const) {
    try {
      weights.push(await weigh(label, path, init))
    } catch (e) {
      log(`  page weight: ${label} left out (${(e as Error).message})`)
    }
  }
  return weights
}
