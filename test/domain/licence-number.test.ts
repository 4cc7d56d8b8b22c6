import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CROCKFORD, formatLicenceNumber, generateLicenceNumber, normalizeLicenceNumber } from '../../src/domain/licence-number'

const symbols = fc.array(fc.constantFrom(...CROCKFORD), { minLength: 12, maxLength: 12 }).map((a) => a.join(''))

describe('licence numbers', () => {
  it('look like KT-XXXX-XXXX-XXXX, from the alphabet without I, L, O and U', () => {
    for (let i = 0; i < 200; i++) expect(generateLicenceNumber()).toMatch(/^KT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
  })

  it('carry 60 random bits: a thousand in a row never repeat', () => {
    expect(new Set(Array.from({ length: 1000 }, () => generateLicenceNumber())).size).toBe(1000)
  })

  it('normalize(format(x)) = format(x), typed in any case, with spaces, dashes or without the prefix', () => {
    fc.assert(
      fc.property(symbols, (s) => {
        const n = formatLicenceNumber(s)
        const spaced = s.replace(/(.{4})/g, '$1 ').trim().toLowerCase()
        return normalizeLicenceNumber(n) === n && normalizeLicenceNumber(spaced) === n && normalizeLicenceNumber(`kt${s}`) === n
      }),
    )
  })

  it('accepts the look-alikes O for 0 and I or L for 1', () => {
    expect(normalizeLicenceNumber('KT-OOOO-IIII-LLLL')).toBe('KT-0000-1111-1111')
  })

  it('refuses wrong lengths and symbols outside the alphabet', () => {
    expect(normalizeLicenceNumber('KT-7QF3-9XMA-2B4')).toBeNull()
    expect(normalizeLicenceNumber('KT-7QF3-9XMA-2B4KK')).toBeNull()
    expect(normalizeLicenceNumber('KT-7QF3-9XMA-2B4U')).toBeNull()
    expect(normalizeLicenceNumber('')).toBeNull()
  })
})
