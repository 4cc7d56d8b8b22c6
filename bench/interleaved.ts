// Timing one page at several scales call by call in turn (issue 17): on a shared machine a busy
// moment slows whichever calls it meets, so the scales take their calls in rounds — the 10k org's,
// the 100k org's, the 1M org's, then again, the order turned each round — and a slow stretch hits
// them all alike instead of the one whose block of calls it fell on.
import { percentile } from './load'

type App = { request: (path: string, init?: RequestInit) => Response | Promise<Response> }
export type Variant = { path: string; init: (i: number) => RequestInit }
/** Per variant (scale), in the order given: p50 of the clock's ms and of the process's CPU ms per call. */
export type InterleavedTiming = { p50: number[]; cpuP50: number[]; samples: number }

/**
 * Untimed warm-up rounds, then rounds until each variant has `minSamples` calls and the page's
 * `budgetMs` is spent (at most `maxSamples`). Every answer must be a 200.
 */
export async function timeInterleaved(app: App, variants: Variant[], o: { minSamples: number; maxSamples: number; budgetMs: number; warmupRounds: number }): Promise<InterleavedTiming> {
  const call = async (v: Variant, i: number) => {
    const res = await app.request(v.path, v.init(i))
    // Read whole as the server would send it: bytes (decoding them to text is the client's work, not the page's).
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`GET ${v.path} answered ${res.status}`)
  }
  for (let r = 0; r < o.warmupRounds; r++) for (const v of variants) await call(v, r)
  const wall = variants.map(() => [] as number[])
  const cpu = variants.map(() => [] as number[])
  const until = performance.now() + o.budgetMs
  let round = 0
  while (round < o.maxSamples && (round < o.minSamples || performance.now() < until)) {
    for (let k = 0; k < variants.length; k++) {
      const j = (k + round) % variants.length
      const t = performance.now()
      const c = process.cpuUsage()
      await call(variants[j]!, o.warmupRounds + round)
      const used = process.cpuUsage(c)
      wall[j]!.push(performance.now() - t)
      cpu[j]!.push((used.user + used.system) / 1000)
    }
    round++
  }
  const p50 = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 50)
  return { p50: wall.map(p50), cpuP50: cpu.map(p50), samples: round }
}
