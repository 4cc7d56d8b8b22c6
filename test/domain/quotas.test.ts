import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { effectiveLimit, fits, isOver } from '../../src/domain/quotas'

describe('quota arithmetic', () => {
  it('adds add-on packs to the plan limit: Certified Platform 15 users + 3 × 1', () => {
    expect(effectiveLimit(15, 3, 1)).toBe(18)
    expect(effectiveLimit(100, 2, 50)).toBe(200)
    expect(effectiveLimit(5, 0, 5)).toBe(5)
  })

  it('keeps unlimited unlimited, whatever the packs', () => {
    expect(effectiveLimit(null, 4, 10)).toBeNull()
    expect(fits(null, 10 ** 9, 10 ** 9)).toBe(true)
  })

  it('refuses the 11th contract on a plan allowing 10', () => {
    expect(fits(10, 9, 1)).toBe(true)
    expect(fits(10, 10, 1)).toBe(false)
  })

  it('lets a removal through even when over the limit (nothing existing is blocked)', () => {
    expect(isOver(5, 8)).toBe(true)
    expect(fits(5, 8, -1)).toBe(true)
    expect(fits(5, 8, 1)).toBe(false)
  })

  it('properties: the limit grows with packs; what fits never ends above the limit', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(100), fc.integer({ min: 1, max: 100 }), fc.nat(20_000), fc.integer({ min: -50, max: 50 }), (plan, packs, size, used, q) => {
        const limit = effectiveLimit(plan, packs, size)!
        expect(limit).toBeGreaterThanOrEqual(effectiveLimit(plan, Math.max(0, packs - 1), size)!)
        if (fits(limit, used, q) && q > 0) expect(used + q).toBeLessThanOrEqual(limit)
      }),
    )
  })
})
