import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DIGEST_EVERY_MS, DIGEST_QUIET_MS, digestDecision, digestWindowKey, type PendingItem } from '../../src/domain/digest'

const HOUR = 3_600_000
const at = (iso: string) => new Date(iso)
const item = (id: string, iso: string): PendingItem => ({ id, createdAt: at(iso) })

describe('digest decision (examples)', () => {
  it('mails about the first item ever at the next run', () => {
    const items = [item('r1', '2026-03-02T10:03:00Z')]
    expect(digestDecision(items, null, at('2026-03-02T10:00:00Z'))).toEqual({ send: false })
    expect(digestDecision(items, null, at('2026-03-02T10:15:00Z'))).toEqual({
      send: true,
      pending: 1,
      newSince: 1,
      reason: 'new_items',
    })
  })

  it('holds a second item that arrives 2 h later until 24 h after the first digest', () => {
    const firstDigest = at('2026-03-02T10:15:00Z')
    const items = [item('r1', '2026-03-02T10:03:00Z'), item('r2', '2026-03-02T12:15:00Z')]
    for (let t = at('2026-03-02T12:15:00Z').getTime(); t < firstDigest.getTime() + DIGEST_QUIET_MS; t += DIGEST_EVERY_MS) {
      expect(digestDecision(items, firstDigest, new Date(t))).toEqual({ send: false })
    }
    expect(digestDecision(items, firstDigest, at('2026-03-03T10:15:00Z'))).toEqual({
      send: true,
      pending: 2,
      newSince: 1,
      reason: 'new_items',
    })
  })

  it('reminds with the number pending exactly 24 h after the last digest when nothing new came', () => {
    const lastDigest = at('2026-03-02T10:15:00Z')
    const items = [item('r1', '2026-03-02T10:03:00Z'), item('r2', '2026-03-02T10:15:00Z')]
    expect(digestDecision(items, lastDigest, at('2026-03-03T10:14:59.999Z'))).toEqual({ send: false })
    // r2 was created at the very instant of the last digest run, so that digest counted it: not new.
    expect(digestDecision(items, lastDigest, at('2026-03-03T10:15:00Z'))).toEqual({
      send: true,
      pending: 2,
      newSince: 0,
      reason: 'still_pending',
    })
  })

  it('sends nothing when nothing is pending, whether never mailed or mailed long ago', () => {
    expect(digestDecision([], null, at('2026-03-02T10:15:00Z'))).toEqual({ send: false })
    expect(digestDecision([], at('2026-01-01T00:00:00Z'), at('2026-03-02T10:15:00Z'))).toEqual({ send: false })
  })

  it('ignores an item created after now, and does not count it among those pending', () => {
    const now = at('2026-03-02T10:15:00Z')
    expect(digestDecision([item('later', '2026-03-02T10:15:00.001Z')], null, now)).toEqual({ send: false })
    expect(digestDecision([item('r1', '2026-03-01T09:00:00Z'), item('later', '2026-03-02T11:00:00Z')], null, now)).toEqual({
      send: true,
      pending: 1,
      newSince: 1,
      reason: 'new_items',
    })
  })

  it('treats a last digest later than now (a --now run in the past) as recent and sends nothing', () => {
    const items = [item('r1', '2026-03-01T09:00:00Z')]
    expect(digestDecision(items, at('2026-03-02T12:00:00Z'), at('2026-03-02T10:15:00Z'))).toEqual({ send: false })
  })

  it('does not send again when the same run is repeated after its digest was written', () => {
    const items = [item('r1', '2026-03-02T10:03:00Z')]
    const now = at('2026-03-02T10:15:00Z')
    expect(digestDecision(items, null, now).send).toBe(true)
    expect(digestDecision(items, now, now)).toEqual({ send: false })
  })
})

describe('digest window key (examples)', () => {
  it('differs for the next digest, and between people', () => {
    const first = digestWindowKey('u1', null)
    const second = digestWindowKey('u1', at('2026-03-02T10:15:00Z'))
    expect(first).not.toBe(second)
    expect(digestWindowKey('u2', null)).not.toBe(first)
  })

  it('lets only one of two concurrent runs write the digest under a unique index', () => {
    const items = [item('r1', '2026-03-02T10:03:00Z')]
    const unique = new Set<string>()
    const written: string[] = []
    for (const now of [at('2026-03-02T10:15:00Z'), at('2026-03-02T10:15:02Z')]) {
      // Both runs read the state before either wrote: never mailed.
      if (!digestDecision(items, null, now).send) continue
      const key = digestWindowKey('u1', null)
      if (!unique.has(key)) {
        unique.add(key)
        written.push(key)
      }
    }
    expect(written).toEqual(['digest:u1:first'])
  })
})

// --- Simulation: the job every 15 minutes over 3 days -------------------------------------------

const START = at('2026-03-02T00:00:00Z').getTime()
const DAYS = 3
const RUNS = (DAYS * 24 * HOUR) / DIGEST_EVERY_MS // 288 runs after the one at START
const END = START + RUNS * DIGEST_EVERY_MS
const MENTION_WITHIN_MS = DIGEST_QUIET_MS + DIGEST_EVERY_MS

type Scenario = { items: { arrival: number; handledAfter: number | null }[]; lastBefore: number | null }
type SimItem = { id: string; createdAt: number; resolvedAt: number | null }
type Run = {
  now: number
  lastDigestAt: number | null
  pendingIds: string[] // what the admin has pending at `now` (created, not yet resolved)
  newIds: string[] // of those, created after the last digest
  decision: ReturnType<typeof digestDecision>
}

const scenario = fc.record({
  items: fc.array(
    fc.record({
      // Arrivals at any millisecond, from a day before the simulation to its end.
      arrival: fc.integer({ min: -24 * HOUR, max: DAYS * 24 * HOUR }),
      // Resolved after some time, or never during the simulation.
      handledAfter: fc.option(fc.integer({ min: 1, max: 2 * 24 * HOUR }), { nil: null }),
    }),
    { maxLength: 15 },
  ),
  // The last digest before the simulation starts, at any millisecond (a manual run, another phase).
  lastBefore: fc.option(fc.integer({ min: 1, max: 2 * 24 * HOUR }), { nil: null }),
})

function simulate({ items, lastBefore }: Scenario): Run[] {
  const sim: SimItem[] = items.map((i, n) => ({
    id: `i${n}`,
    createdAt: START + i.arrival,
    resolvedAt: i.handledAfter === null ? null : START + i.arrival + i.handledAfter,
  }))
  let lastDigestAt: number | null = lastBefore === null ? null : START - lastBefore
  const runs: Run[] = []
  for (let k = 0; k <= RUNS; k++) {
    const now = START + k * DIGEST_EVERY_MS
    // What the query would return: everything not yet resolved; items "from the future" are passed
    // too, so the decision has to ignore them itself.
    const unresolved = sim.filter((i) => i.resolvedAt === null || i.resolvedAt > now)
    const input = unresolved.map((i) => ({ id: i.id, createdAt: new Date(i.createdAt) }))
    const decision = digestDecision(input, lastDigestAt === null ? null : new Date(lastDigestAt), new Date(now))
    const pending = unresolved.filter((i) => i.createdAt <= now)
    runs.push({
      now,
      lastDigestAt,
      pendingIds: pending.map((i) => i.id),
      newIds: pending.filter((i) => lastDigestAt === null || i.createdAt > lastDigestAt).map((i) => i.id),
      decision,
    })
    if (decision.send) lastDigestAt = now
  }
  return runs
}

const NUM_RUNS = 150

describe('digest job simulated every 15 minutes over 3 days (properties)', () => {
  it('never sends two digests to one person within 24 h', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const runs = simulate(s)
        let previous = s.lastBefore === null ? null : START - s.lastBefore
        for (const run of runs) {
          if (!run.decision.send) continue
          if (previous !== null) expect(run.now - previous).toBeGreaterThanOrEqual(DIGEST_QUIET_MS)
          previous = run.now
        }
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('mentions every item still pending in a digest within 24 h 15 min of its arrival, with exact counts', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const runs = simulate(s)
        for (const run of runs) {
          if (!run.decision.send) continue
          expect(run.decision.pending).toBe(run.pendingIds.length)
          expect(run.decision.newSince).toBe(run.newIds.length)
          expect(run.decision.reason).toBe(run.newIds.length > 0 ? 'new_items' : 'still_pending')
        }
        s.items.forEach((i, n) => {
          const id = `i${n}`
          const createdAt = START + i.arrival
          const deadline = createdAt + MENTION_WITHIN_MS
          const stillPendingAtDeadline = i.handledAfter === null || createdAt + i.handledAfter > deadline
          // Items that arrived before the simulation may have been mentioned by runs it doesn't see.
          if (createdAt < START || deadline > END || !stillPendingAtDeadline) return
          const mentioned = runs.some((r) => r.decision.send && r.now >= createdAt && r.now <= deadline && r.pendingIds.includes(id))
          expect(mentioned, `item ${id} created at ${new Date(createdAt).toISOString()} was not mentioned by ${new Date(deadline).toISOString()}`).toBe(true)
        })
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('never sends when nothing is pending', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const run of simulate(s)) {
          if (run.pendingIds.length === 0) expect(run.decision).toEqual({ send: false })
        }
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('gives every digest sent a new window key', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const keys = new Set<string>()
        let sends = 0
        for (const run of simulate(s)) {
          if (!run.decision.send) continue
          sends++
          const last = run.lastDigestAt === null ? null : new Date(run.lastDigestAt)
          keys.add(digestWindowKey('u1', last))
        }
        expect(keys.size).toBe(sends)
      }),
      { numRuns: NUM_RUNS },
    )
  })
})
