// Before anything is timed, the bench checks that each scenario does what it claims: the pages
// answer as a signed-in person sees them, the API counts and replays, history pages link on.
import { request } from 'node:http'
import { createClient } from '@libsql/client'
import type { BigOrg } from './seed'
import { getStatus, type RunningServer } from './server'
import { BENCH_PASSWORD } from './seed'
import { SESSION_COOKIE } from './production-env'

export const WRONG_PASSWORD = 'not-the-password-123'
/** Where the deep history page starts: this many rows in, newest first. */
export const DEEP_HISTORY_OFFSET = 80_000

/** One request on a fresh connection, with its status, headers and body. */
export function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((ok, fail) => {
    const req = request(url, { method: init.method ?? 'GET', agent: false, headers: init.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', fail)
    req.end(init.body)
  })
}

function formPost(baseUrl: string, body: string): Record<string, string> {
  return { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, 'content-length': String(Buffer.byteLength(body)) }
}

export function loginBody(email: string, password: string) {
  return new URLSearchParams({ email, password }).toString()
}

const expect = (what: string, got: unknown, want: unknown) => {
  if (got !== want) throw new Error(`${what}: expected ${String(want)}, got ${String(got)}`)
}

/** Checks the scenarios measure what they claim before timing them. */
export async function verify(server: RunningServer, freshToken: string, unusedEmail: string, userEmail: string) {
  const { baseUrl } = server
  const account = await send(`${baseUrl}/account`, { headers: { cookie: `${SESSION_COOKIE}=${freshToken}` } })
  expect('GET /account with a seeded session', account.status, 200)
  if (!account.body.includes('Bench User')) throw new Error('GET /account did not show the seeded user')
  expect('GET /account without a session (redirect to sign-in)', (await send(`${baseUrl}/account`)).status, 303)

  const body = loginBody(userEmail, BENCH_PASSWORD)
  const signIn = await send(`${baseUrl}/login`, { method: 'POST', headers: formPost(baseUrl, body), body })
  expect('POST /login as a bench user', signIn.status, 303)
  const cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`))
  if (!cookie) throw new Error('POST /login set no session cookie')
  expect('GET /account with the cookie from POST /login', (await getStatus(`${baseUrl}/account`, { cookie: cookie.split(';')[0]! })) ?? 0, 200)

  const wrong = loginBody(unusedEmail, WRONG_PASSWORD)
  expect('POST /login with a wrong password', (await send(`${baseUrl}/login`, { method: 'POST', headers: formPost(baseUrl, wrong), body: wrong })).status, 401)
}

/** Rows of a history page's table, and the "older" link under it. */
function historyPage(body: string) {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? ''
  const rows = (tbody.match(/<tr>/g) ?? []).length
  const next = /href="([^"]*\/history\?[^"]*cursor=[^"]*)"/.exec(body)?.[1]?.replace(/&amp;/g, '&') ?? null
  const firstRow = /<tr>([\s\S]*?)<\/tr>/.exec(tbody)?.[1] ?? ''
  return { rows, next, firstRow }
}

/** Checks the dashboard, vendor API and history scenarios; returns the history URLs to time. */
export async function verifyBigOrg(server: RunningServer, big: BigOrg, databasePath: string) {
  const { baseUrl } = server
  const cookie = { cookie: `${SESSION_COOKIE}=${big.adminTokens[0]}` }
  const bearer = { authorization: `Bearer ${big.apiKey}` }

  // The dashboard: five products, each with its plan, licence and one meter per quota.
  const dash = await send(`${baseUrl}/o/${big.slug}`, { headers: cookie })
  expect(`GET /o/${big.slug} as its administrator`, dash.status, 200)
  for (const p of big.products) if (!dash.body.includes(`id="product-${p.key}"`)) throw new Error(`the dashboard does not show ${p.name}`)
  const meters = (dash.body.match(/<li class="meter( over)?">/g) ?? []).length
  const quotas = big.products.reduce((n, p) => n + p.quotas.length, 0)
  expect('meters on the dashboard (one per quota of the five products)', meters, quotas)
  expect('licence numbers on the dashboard', (dash.body.match(/<code class="key"><span class="g">KT-/g) ?? []).length, big.products.length)
  expect(`GET /o/${big.slug} without a session`, (await send(`${baseUrl}/o/${big.slug}`)).status, 303)

  // Entitlements: the same five products, with the seeded use of this month and in all.
  const ent = await send(`${baseUrl}/api/v1/entitlements`, { headers: bearer })
  expect('GET /api/v1/entitlements with the API key', ent.status, 200)
  const entitlements = JSON.parse(ent.body) as { products: { product: string; quotas: { key: string; kind: string; used: number }[] }[] }
  expect('products in the entitlements', entitlements.products.length, big.products.length)
  for (const p of entitlements.products) {
    for (const q of p.quotas) {
      const want = q.kind === 'seats' ? big.members : big.used[`${p.product}/${q.key}`]
      expect(`entitlements: used of ${p.product}/${q.key}`, q.used, want)
    }
  }
  expect('GET /api/v1/entitlements without a key', (await send(`${baseUrl}/api/v1/entitlements`)).status, 401)

  // Usage: counted (201), replayed under the same key (201, marked), and the row is in the database.
  const t = big.usageTarget
  const before = await countUsage(databasePath, big.id)
  const body = JSON.stringify({ product: t.product, quota: t.quota, quantity: 1, idempotency_key: `bench-verify-${Date.now()}` })
  const usageInit = { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body }
  const first = await send(`${baseUrl}/api/v1/usage`, usageInit)
  expect('POST /api/v1/usage', first.status, 201)
  const counted = JSON.parse(first.body) as { used: number; limit: number }
  expect(`used of ${t.quota} after one POST /api/v1/usage`, counted.used, big.used[`${t.product}/${t.quota}`]! + 1)
  const replay = await send(`${baseUrl}/api/v1/usage`, usageInit)
  expect('POST /api/v1/usage again with the same idempotency key', replay.status, 201)
  expect('its Idempotent-Replayed header', replay.headers['idempotent-replayed'], 'true')
  expect('usage rows added by one request and its replay', (await countUsage(databasePath, big.id)) - before, 1)

  // History: 50 rows a page; the first page links to older rows, and so does a page deep in.
  const firstPage = await send(`${baseUrl}/o/${big.slug}/history`, { headers: cookie })
  expect(`GET /o/${big.slug}/history`, firstPage.status, 200)
  const p1 = historyPage(firstPage.body)
  expect('rows on the first history page', p1.rows, 50)
  if (!p1.next) throw new Error('the first history page links to no older rows')
  const second = await send(`${baseUrl}${p1.next}`, { headers: cookie })
  expect('GET the "older" link of the first history page', second.status, 200)
  const p2 = historyPage(second.body)
  expect('rows on the second history page', p2.rows, 50)
  if (p2.firstRow === p1.firstRow) throw new Error('the second history page starts with the first page\'s row')
  // A page deep in: the cursor of the row DEEP_HISTORY_OFFSET rows in (as the "older" link of the
  // page before it carries), then the link that page gives, which is the URL timed.
  const client = createClient({ url: `file:${databasePath}` })
  let cursorRow: { at: number; id: number }
  try {
    const r = await client.execute({ sql: 'select at, id from history where org_id = ? order by at desc, id desc limit 1 offset ?', args: [big.id, DEEP_HISTORY_OFFSET - 1] })
    cursorRow = { at: Number(r.rows[0]![0]), id: Number(r.rows[0]![1]) }
  } finally {
    client.close()
  }
  const deepEntry = await send(`${baseUrl}/o/${big.slug}/history?cursor=${cursorRow.at}-${cursorRow.id}`, { headers: cookie })
  expect(`GET a history page ${DEEP_HISTORY_OFFSET.toLocaleString('en-US')} rows in`, deepEntry.status, 200)
  const pd = historyPage(deepEntry.body)
  expect('rows on the deep history page', pd.rows, 50)
  if (!pd.next) throw new Error('the deep history page links to no older rows')
  const deep = await send(`${baseUrl}${pd.next}`, { headers: cookie })
  expect('GET the "older" link of the deep history page', deep.status, 200)
  expect('rows on the page after it', historyPage(deep.body).rows, 50)
  return { firstPath: `/o/${big.slug}/history`, deepPath: pd.next, secondPath: p1.next, meters, quotas }
}

export async function countUsage(databasePath: string, orgId: string): Promise<number> {
  const client = createClient({ url: `file:${databasePath}` })
  try {
    return Number((await client.execute({ sql: 'select count(*) from usage_events where org_id = ?', args: [orgId] })).rows[0]![0])
  } finally {
    client.close()
  }
}
