import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DAY_MS, splitByUtcDays } from '../../src/domain/day-span'

/** How many instants lie in [from, to), either end open. */
const inSpan = (instants: number[], from?: number, to?: number) => instants.filter((x) => (from === undefined || x >= from) && (to === undefined || x < to)).length

/** The count as the tab counts make it: whole days from per-day counters, the edges from the rows. */
function counted(instants: number[], from?: number, to?: number) {
  const split = splitByUtcDays(from, to)
  let n = 0
  if (split.days) {
    const { from: d0, to: d1 } = split.days
    n += instants.filter((x) => {
      const day = Math.floor(x / DAY_MS)
      return (d0 === undefined || day >= d0) && (d1 === undefined || day < d1)
    }).length
  }
  for (const e of split.edges) n += e.sign * inSpan(instants, e.from, e.to)
  return n
}

const START = Date.UTC(2026, 0, 1)
const instant = fc.integer({ min: START, max: START + 60 * DAY_MS })
const end = fc.option(instant, { nil: undefined })

describe('counting a time span from per-day counters', () => {
  it('gives the same count as the rows themselves, for any span, open or not, and any rows', () => {
    fc.assert(
      fc.property(fc.array(instant, { maxLength: 200 }), end, end, (instants, from, to) => {
        expect(counted(instants, from, to)).toBe(inSpan(instants, from, to))
      }),
      { numRuns: 2000 },
    )
  })

  it('reads at most half a day of rows at each end, however long the span', () => {
    fc.assert(
      fc.property(end, end, (from, to) => {
        const { edges } = splitByUtcDays(from, to)
        const short = from !== undefined && to !== undefined && to - from < 2 * DAY_MS
        for (const e of edges) expect(e.to - e.from).toBeLessThanOrEqual(short ? 2 * DAY_MS : DAY_MS / 2)
        expect(edges.length).toBeLessThanOrEqual(2)
      }),
    )
  })

  it('counts a span between two local midnights in Warsaw from the days and two one-hour edges', () => {
    // 1 to 31 December in Warsaw (UTC+1): 23:00 UTC each; the nearest UTC midnights are an hour later.
    const split = splitByUtcDays(Date.UTC(2026, 10, 30, 23), Date.UTC(2026, 11, 30, 23))
    expect(split.days).toEqual({ from: Date.UTC(2026, 11, 1) / DAY_MS, to: Date.UTC(2026, 11, 31) / DAY_MS })
    expect(split.edges).toEqual([
      { from: Date.UTC(2026, 10, 30, 23), to: Date.UTC(2026, 11, 1), sign: 1 },
      { from: Date.UTC(2026, 11, 30, 23), to: Date.UTC(2026, 11, 31), sign: -1 },
    ])
  })
})
