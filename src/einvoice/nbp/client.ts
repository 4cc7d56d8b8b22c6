// The NBP's public API for table A average rates (https://api.nbp.pl), `fetch` only, so it runs on
// Node and in a Worker: GET {base}/exchangerates/rates/a/{code}/{YYYY-MM-DD}/?format=json answers
// {"table":"A","code":"EUR","rates":[{"no":"236/A/NBP/2026","effectiveDate":"2026-12-04","mid":4.2175}]},
// or 404 on a day without a table (a holiday the NBP kept that Kontor's calendar does not know).
import { previousWorkingDay, RATE_PATTERN, type NbpRate } from './rates'

/** The NBP's own API; NBP_URL replaces it for the fake (src/einvoice/nbp/fake-server.ts). */
export const NBP_API = 'https://api.nbp.pl/api'

/** A rate, or why there is none: `unavailable` (down, slow, an answer that makes no sense) is tried again later. */
export type RateAnswer = { status: 'found'; rate: NbpRate } | { status: 'unavailable'; detail: string }

export interface RateSource {
  /** Table A's rate of `currency` for the working day `day`. */
  rate(currency: string, day: string): Promise<RateAnswer>
}

/** Days with no table before `day` are looked past, at most this many (Christmas to New Year is the longest run). */
const MAX_STEPS_BACK = 5

export class NbpClient implements RateSource {
  private readonly doFetch: typeof fetch
  private readonly timeoutMs: number

  constructor(
    readonly base: string = NBP_API,
    opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
  ) {
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init))
    this.timeoutMs = opts.timeoutMs ?? 10_000
  }

  async rate(currency: string, day: string): Promise<RateAnswer> {
    const code = currency.toUpperCase()
    if (!/^[A-Z]{3}$/.test(code)) return { status: 'unavailable', detail: `not a currency code: ${currency}` }
    let asked = day
    for (let step = 0; step <= MAX_STEPS_BACK; step++) {
      const answer = await this.table(code, asked)
      if (answer.status === 'found') return { status: 'found', rate: { ...answer.rate, day } }
      if (answer.status === 'unavailable') return answer
      // No table that day (art. 31a: the rate "announced for" the day; a day without one takes the last one before it).
      asked = previousWorkingDay(asked)
    }
    return { status: 'unavailable', detail: `the NBP published no ${code} rate in table A on ${day} nor on the ${MAX_STEPS_BACK} working days before` }
  }

  private async table(code: string, day: string): Promise<RateAnswer | { status: 'none' }> {
    const url = `${this.base.replace(/\/+$/, '')}/exchangerates/rates/a/${code.toLowerCase()}/${day}/?format=json`
    let res: Response
    try {
      res = await this.doFetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) })
    } catch (e) {
      return { status: 'unavailable', detail: `the NBP could not be reached: ${e instanceof Error ? e.message : String(e)}` }
    }
    if (res.status === 404) {
      await res.body?.cancel()
      return { status: 'none' }
    }
    if (!res.ok) {
      await res.body?.cancel()
      return { status: 'unavailable', detail: `the NBP answered ${res.status} for ${code} on ${day}` }
    }
    let body: unknown
    try {
      body = await res.json()
    } catch {
      return { status: 'unavailable', detail: `the NBP's answer for ${code} on ${day} is not JSON` }
    }
    const rate = parseTable(body, code, day)
    return rate ? { status: 'found', rate } : { status: 'unavailable', detail: `the NBP's answer for ${code} on ${day} is not a table A rate of that day` }
  }
}

/** The one rate of the answer, if it is table A's for this currency and day; anything else is refused. */
function parseTable(body: unknown, code: string, day: string): NbpRate | null {
  const b = body as { table?: unknown; code?: unknown; rates?: unknown }
  if (b?.table !== 'A' || b.code !== code || !Array.isArray(b.rates) || b.rates.length !== 1) return null
  const r = b.rates[0] as { no?: unknown; effectiveDate?: unknown; mid?: unknown }
  if (typeof r.no !== 'string' || !/^\d{1,3}\/A\/NBP\/\d{4}$/.test(r.no) || r.effectiveDate !== day || typeof r.mid !== 'number') return null
  // JSON numbers of up to 15 digits print back as they were written ("4.2175").
  const rate = String(r.mid)
  if (!RATE_PATTERN.test(rate) || r.mid <= 0) return null
  return { currency: code, day, rate, tableNo: r.no, effectiveDate: day }
}
