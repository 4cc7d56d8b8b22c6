import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { displayTaxId, normalizeTaxId } from '../../src/domain/tax-id'

describe('Polish NIP', () => {
  it('accepts real NIPs of public companies in any common spelling', () => {
    expect(normalizeTaxId('PL', '774-00-01-454')).toEqual({ ok: true, value: 'PL7740001454' }) // PKN Orlen
    expect(normalizeTaxId('PL', '526 025 09 95')).toEqual({ ok: true, value: 'PL5260250995' })
    expect(normalizeTaxId('PL', 'pl5252674798')).toEqual({ ok: true, value: 'PL5252674798' }) // Allegro
  })

  it('refuses a check digit off by one, and wrong lengths', () => {
    expect(normalizeTaxId('PL', '7740001455')).toEqual({ ok: false, error: 'invalid' })
    expect(normalizeTaxId('PL', '7740001453')).toEqual({ ok: false, error: 'invalid' })
    expect(normalizeTaxId('PL', '774000145')).toEqual({ ok: false, error: 'invalid' })
    expect(normalizeTaxId('PL', '77400014540')).toEqual({ ok: false, error: 'invalid' })
  })

  it('any single-digit change of a valid NIP is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const digits = '7740001454'.split('').map(Number)
        digits[pos] = (digits[pos]! + delta) % 10
        return !normalizeTaxId('PL', digits.join('')).ok
      }),
    )
  })

  it('is shown the Polish way', () => {
    expect(displayTaxId('PL7740001454')).toBe('774-000-14-54')
  })
})

describe('Italian partita IVA', () => {
  it('accepts real numbers of public companies', () => {
    expect(normalizeTaxId('IT', '00905811006')).toEqual({ ok: true, value: 'IT00905811006' }) // Eni
    expect(normalizeTaxId('IT', 'IT 00743110157')).toEqual({ ok: true, value: 'IT00743110157' })
  })

  it('refuses a check digit off by one', () => {
    expect(normalizeTaxId('IT', '00905811007')).toEqual({ ok: false, error: 'invalid' })
    expect(normalizeTaxId('IT', '00743110158')).toEqual({ ok: false, error: 'invalid' })
  })
})

describe('other EU VAT numbers', () => {
  it('are checked by their country format and checksum', () => {
    expect(normalizeTaxId('DE', 'DE129273398')).toEqual({ ok: true, value: 'DE129273398' })
    expect(normalizeTaxId('FR', '40 303 265 045')).toEqual({ ok: true, value: 'FR40303265045' })
    expect(normalizeTaxId('DE', 'DE129273399')).toEqual({ ok: false, error: 'invalid' })
  })

  it('use EL for Greece, also when typed with GR', () => {
    expect(normalizeTaxId('GR', '094259216')).toEqual({ ok: true, value: 'EL094259216' })
    expect(normalizeTaxId('GR', 'GR094259216')).toEqual({ ok: true, value: 'EL094259216' })
  })

  it('refuse countries outside the EU and garbage', () => {
    expect(normalizeTaxId('US', '123456789')).toEqual({ ok: false, error: 'unsupported_country' })
    expect(normalizeTaxId('PL', '<script>')).toEqual({ ok: false, error: 'invalid' })
    expect(normalizeTaxId('PL', '')).toEqual({ ok: false, error: 'invalid' })
  })
})
