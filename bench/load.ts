// One load scenario with autocannon's programmatic API: one run of warm-up + timed window, on the
// same connections; only requests sent after the warm-up count. (A separate warm-up run would close
// its connections, and the timed run would then measure 50 new connections queuing for admission
// to a saturated server: under CPU saturation Node serves a new keep-alive connection's first
// request only seconds later, with a trivial handler as well.) Latencies are taken from
// autocannon's 'response' event (float milliseconds from process.hrtime) rather than its histogram,
// which keeps whole milliseconds and 2xx only — too coarse for a page that takes 1–3 ms.
import autocannon, { type Options, type Result } from 'autocannon'

export type LoadResult = {
  label: string
  connections: number
  seconds: number
  requests: number
  rps: number
  p50: number
  p90: number
  p99: number
  max: number
  /** Statuses of the requests sent after the warm-up (the ones the latencies are of). */
  statuses: Record<string, number>
  warmupStatuses: Record<string, number>
  errors: number
  timeouts: number
}

export type Scenario = Omit<Options, 'duration' | 'connections'> & { label: string; connections: number }

type Sample = (ms: number, status: number) => void

function run(opts: Options, onResponse: Sample): Promise<Result> {
  return new Promise((ok, fail) => {
    const instance = autocannon(opts, (err, result) => (err ? fail(err) : ok(result)))
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => onResponse(ms, status))
  })
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export async function measure(scenario: Scenario, durationSeconds: number, warmupSeconds: number): Promise<LoadResult> {
  const [result] = await measureTogether([scenario], durationSeconds, warmupSeconds)
  return result!
}

/** Several scenarios at the same time (e.g. a page while sign-ins hash passwords), each with its own figures. */
export async function measureTogether(scenarios: Scenario[], durationSeconds: number, warmupSeconds: number): Promise<LoadResult[]> {
  const t0 = performance.now()
  const windowStart = t0 + warmupSeconds * 1000
  return Promise.all(
    scenarios.map(async ({ label, ...options }) => {
      const latencies: number[] = []
      const statuses: Record<string, number> = {}
      const warmupStatuses: Record<string, number> = {}
      let completed = 0
      let windowEnd = 0
      const result = await run({ timeout: 30, ...options, duration: warmupSeconds + durationSeconds }, (ms, status) => {
        const now = performance.now()
        if (now - ms < windowStart) {
          warmupStatuses[status] = (warmupStatuses[status] ?? 0) + 1
          if (now >= windowStart) completed++
          return
        }
        completed++
        windowEnd = now
        latencies.push(ms)
        statuses[status] = (statuses[status] ?? 0) + 1
      })
      const seconds = (Math.max(windowEnd, performance.now()) - windowStart) / 1000
      const sorted = Float64Array.from(latencies).sort()
      return {
        label,
        connections: options.connections,
        seconds,
        requests: latencies.length,
        rps: completed / seconds,
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: sorted.length ? sorted[sorted.length - 1]! : NaN,
        statuses,
        warmupStatuses,
        errors: result.errors,
        timeouts: result.timeouts,
      }
    }),
  )
}
