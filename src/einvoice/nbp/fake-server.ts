// A fake NBP for tests and local use (Node only), answering the one call Kontor makes
// (src/einvoice/nbp/client.ts) as the NBP does: table A's rate of a currency on a day, 404
// "Brak danych" on a day without a table. Rates are the ones a test sets; with `synthetic` (local
// use) any working day gets a made-up rate near the real one. `down` answers 503 to everything.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isWorkingDay } from '../ksef/offline'

export type FakeNbpOptions = {
  /** "EUR 2026-12-04" → 4.2175: the rates published. */
  rates?: Record<string, number>
  /** Any working day without a rate set gets a made-up one (npm start); otherwise it has no table. */
  synthetic?: boolean
  port?: number
}

/** Roughly where table A stood in 2026: local invoices get plausible złoty amounts. */
const NEAR = { EUR: 4.22, USD: 3.65, GBP: 4.85, CHF: 4.52, CZK: 0.1702 } as Record<string, number>

function parts(day: string) {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return { y, m, d }
}

/** The table's number as the NBP counts them: its working day of the year. */
function tableNo(day: string): string {
  const { y } = parts(day)
  let n = 0
  for (let t = Date.UTC(y, 0, 1); t <= Date.parse(`${day}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t)
    if (isWorkingDay(y, date.getUTCMonth() + 1, date.getUTCDate())) n++
  }
  return `${String(n).padStart(3, '0')}/A/NBP/${y}`
}

function synthetic(code: string, day: string): number | null {
  const near = NEAR[code]
  if (near === undefined) return null
  const { y, m, d } = parts(day)
  // A small wobble by day, rounded to 4 decimals as the NBP publishes.
  const wobble = (((y * 372 + m * 31 + d) * 7919) % 200) / 10_000 - 0.01
  return Math.round((near + near * wobble) * 10_000) / 10_000
}

export async function startFakeNbp(opts: FakeNbpOptions = {}) {
  const state = { rates: { ...(opts.rates ?? {}) }, down: false, requests: [] as string[] }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    state.requests.push(`${req.method} ${url.pathname}`)
    if (state.down) return void res.writeHead(503, { 'Content-Type': 'text/plain' }).end('503 Service Unavailable')
    const m = /^\/api\/exchangerates\/rates\/a\/([a-z]{3})\/(\d{4}-\d{2}-\d{2})\/?$/i.exec(url.pathname)
    if (req.method !== 'GET' || !m) return void res.writeHead(400, { 'Content-Type': 'text/plain' }).end('400 BadRequest - Błędny zakres dat / Invalid date range')
    const code = m[1]!.toUpperCase()
    const day = m[2]!
    const { y, m: month, d } = parts(day)
    const set = state.rates[`${code} ${day}`]
    const mid = set ?? (opts.synthetic && isWorkingDay(y, month, d) ? synthetic(code, day) : null)
    if (mid === null || mid === undefined) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 NotFound - Not Found - Brak danych')
    const body = { table: 'A', currency: code.toLowerCase(), code, rates: [{ no: tableNo(day), effectiveDate: day, mid }] }
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
  })
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r))
  // It never keeps a process alive by itself: whoever started it does.
  server.unref()
  const { port } = server.address() as AddressInfo
  return {
    /** What NBP_URL is set to (the NBP's own is https://api.nbp.pl/api). */
    url: `http://127.0.0.1:${port}/api`,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

export type FakeNbp = Awaited<ReturnType<typeof startFakeNbp>>
