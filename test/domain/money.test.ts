import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { moneyInput, mulDivRoundHalfUp, parseMoney, roundHalfUp } from '../../src/domain/money'

describe('amounts typed into forms', () => {
  it('become minor units exactly, with a dot or a comma and spaces between thousands', () => {
    expect(parseMoney('49')).toEqual({ ok: true, minor: 4900 })
    expect(parseMoney('49.9')).toEqual({ ok: true, minor: 4990 })
    expect(parseMoney('49,99')).toEqual({ ok: true, minor: 4999 })
    expect(parseMoney('1 299,99')).toEqual({ ok: true, minor: 129999 })
    expect(parseMoney('0.07')).toEqual({ ok: true, minor: 7 })
  })

  it('refuse negative amounts, a third decimal, words and absurd sizes', () => {
    expect(parseMoney('-1')).toEqual({ ok: false, error: 'negative' })
    expect(parseMoney('12.345')).toEqual({ ok: false, error: 'decimals' })
    for (const bad of ['abc', '', '1.2.3', '1e3', '1234567890']) expect(parseMoney(bad), bad).toEqual({ ok: false, error: 'invalid' })
  })

  it('read back what they show, for every amount up to the largest allowed', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999_999_99 }), (minor) => {
      const r = parseMoney(moneyInput(minor))
      return r.ok && r.minor === minor
    }))
  })
})

describe('the one rounding function, half-up', () => {
  it('rounds halves away from zero and everything else to the nearest integer', () => {
    expect(roundHalfUp(5, 2)).toBe(3)
    expect(roundHalfUp(7, 2)).toBe(4)
    expect(roundHalfUp(249, 100)).toBe(2)
    expect(roundHalfUp(251, 100)).toBe(3)
    expect(roundHalfUp(10, 5)).toBe(2)
    expect(roundHalfUp(0, 7)).toBe(0)
    expect(roundHalfUp(1, 3)).toBe(0)
    expect(roundHalfUp(2, 3)).toBe(1)
  })

  it('mirrors negatives: −2.5 becomes −3, so a credit line is the exact opposite of its charge', () => {
    expect(roundHalfUp(-5, 2)).toBe(-3)
    expect(roundHalfUp(5, -2)).toBe(-3)
    expect(roundHalfUp(-5, -2)).toBe(3)
    expect(roundHalfUp(-249, 100)).toBe(-2)
    expect(roundHalfUp(-1, 3)).toBe(0) // not −0: BigInt has no negative zero
  })

  it('is exact where floats are not: 1.005 × 100 and products beyond 2^53', () => {
    // 1.005 * 100 is 100.49999999999999 in floats, which Math.round takes to 100.
    expect(roundHalfUp(1005, 10)).toBe(101)
    expect(mulDivRoundHalfUp(9_007_199_254_740_991, 3, 6)).toBe(4_503_599_627_370_496)
    expect(roundHalfUp(10n ** 30n + 5n * 10n ** 14n, 10n ** 15n)).toBe(1_000_000_000_000_001)
  })

  it('treats a zero denominator, a fraction or an unsafe result as a bug', () => {
    expect(() => roundHalfUp(1, 0)).toThrow(RangeError)
    expect(() => roundHalfUp(1.5, 2)).toThrow(RangeError)
    expect(() => roundHalfUp(10n ** 20n, 1)).toThrow(RangeError)
  })

  it('never lands more than half away from the exact quotient, and a half only away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const r = BigInt(roundHalfUp(n, d))
        const twiceError = 2n * (r * d - n) // twice (r − n/d), scaled by d
        const abs = twiceError < 0n ? -twiceError : twiceError
        const awayFromZero = r > 0n === n > 0n
        return abs <= d && (abs < d || awayFromZero) && roundHalfUp(-n, d) === -Number(r)
      }),
    )
  })
})
