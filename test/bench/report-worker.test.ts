// The Worker section of docs/performance.md (bench/report-worker.ts): `npm run bench -- --only worker`
// replaces it in the page the last full run wrote and leaves the rest alone; the targets are judged
// on the rows they name.
import { describe, expect, it } from 'vitest'
import { withWorkerSection, workerVerdicts, WORKER_HEADING } from '../../bench/report-worker'
import type { WorkerReport, WorkerRow } from '../../bench/worker'

const section = (text: string) => `${WORKER_HEADING}\n\n${text}\n`

describe("the Worker section of the bench's page", () => {
  it('replaces the previous section and keeps the ones around it', () => {
    const page = `# Performance\n\n## Renewals\n\nr\n\n${section('old figures')}\n## Cold start\n\nc\n`
    expect(withWorkerSection(page, section('new figures'))).toBe(`# Performance\n\n## Renewals\n\nr\n\n${section('new figures')}\n## Cold start\n\nc\n`)
  })

  it('goes before "Cold start" in a page written before it existed, or at the end of a page without one', () => {
    expect(withWorkerSection('# P\n\n## Renewals\n\nr\n\n## Cold start\n\nc\n', section('w'))).toBe(`# P\n\n## Renewals\n\nr\n\n${section('w')}\n## Cold start\n\nc\n`)
    expect(withWorkerSection('# P\n\n## Renewals\n\nr\n', section('w'))).toBe(`# P\n\n## Renewals\n\nr\n\n${section('w')}`)
    expect(withWorkerSection(`# P\n\n${section('old')}`, section('new'))).toBe(`# P\n\n${section('new')}`)
  })
})

describe('the Worker targets', () => {
  const trips = { median: 3, min: 3, max: 3 }
  const row = (page: string, latencyMs: number, p50: number, cpuMs: number, customer = true): WorkerRow => ({ page, customer, latencyMs, requests: 30, p50, p95: p50, max: p50, cpuMs, proxyCpuMs: 1, roundTrips: trips, statements: trips })
  const report = (rows: WorkerRow[]) => ({ rows }) as WorkerReport

  it('asks every customer page for p50 ≤ 150 ms at 50 ms only, and the dashboard for ≤ 10 ms of CPU at every distance', () => {
    const met = workerVerdicts(report([row('GET /account', 0, 400, 5), row('GET /account', 50, 150, 5), row('GET /o/x (dashboard, 5 products)', 0, 20, 10), row('GET /o/x (dashboard, 5 products)', 50, 120, 9.5), row('POST /api/v1/usage', 50, 900, 5, false)]))
    expect(met).toMatchObject({ pagesMet: true, cpuMet: true, slow: [] })
    expect(met.worst?.page).toBe('GET /account')

    const missed = workerVerdicts(report([row('GET /account', 50, 151, 5), row('GET /o/x (dashboard, 5 products)', 0, 20, 10.5), row('GET /o/x (dashboard, 5 products)', 50, 100, 9)]))
    expect(missed).toMatchObject({ pagesMet: false, cpuMet: false })
    expect(missed.slow.map((r) => r.page)).toEqual(['GET /account'])
  })

  it('meets nothing when nothing was measured', () => {
    expect(workerVerdicts(report([]))).toMatchObject({ pagesMet: false, cpuMet: false })
  })
})
