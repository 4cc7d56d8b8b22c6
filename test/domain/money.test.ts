import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { moneyInput, parseMoney } from '../../src/domain/money'

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
