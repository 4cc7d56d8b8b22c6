// Counting what was created in a time span from per-day counters: whole UTC days are summed from the
// counters, and only the stretch between each end of the span and its nearest UTC midnight is
// counted from the rows themselves — added when that midnight lies inside the span, taken off when
// it lies outside. An org's local days rarely start at a UTC midnight, so at most half a day of rows
// is read at each end, however long the span and however many rows it holds.

export const DAY_MS = 86_400_000

/** A stretch of rows to count, [from, to) in ms, added (1) or taken off (−1). */
export type Edge = { from: number; to: number; sign: 1 | -1 }
/** Days (UTC day numbers, created_at ÷ DAY_MS) to sum, [from, to), open-ended where undefined; null when none. */
export type DaySplit = { days: { from?: number; to?: number } | null; edges: Edge[] }

/** The UTC midnight nearest to `at` (as a day number), and whether it lies before `at`. */
function nearestMidnight(at: number): { day: number; before: boolean } {
  const floor = Math.floor(at / DAY_MS)
  return at - floor * DAY_MS <= (floor + 1) * DAY_MS - at ? { day: floor, before: true } : { day: floor + 1, before: false }
}

/**
 * How to count rows created in [from, to) (either end open): days to sum and edges to count.
 * A span shorter than two days is counted from the rows alone.
 */
export function splitByUtcDays(from: number | undefined, to: number | undefined): DaySplit {
  if (from !== undefined && to !== undefined && to - from < 2 * DAY_MS) return { days: null, edges: to > from ? [{ from, to, sign: 1 }] : [] }
  const edges: Edge[] = []
  const days: { from?: number; to?: number } = {}
  // count[from, to) = before(to) − before(from), where before(x) counts rows created before x:
  // the days before x's nearest midnight, plus the rows between that midnight and x (or less those
  // between x and it).
  if (from !== undefined) {
    const m = nearestMidnight(from)
    days.from = m.day
    if (m.day * DAY_MS !== from) edges.push(m.before ? { from: m.day * DAY_MS, to: from, sign: -1 } : { from, to: m.day * DAY_MS, sign: 1 })
  }
  if (to !== undefined) {
    const m = nearestMidnight(to)
    days.to = m.day
    if (m.day * DAY_MS !== to) edges.push(m.before ? { from: m.day * DAY_MS, to, sign: 1 } : { from: to, to: m.day * DAY_MS, sign: -1 })
  }
  return { days, edges }
}
