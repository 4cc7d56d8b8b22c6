import { describe, expect, it } from 'vitest'
import { defaultCountry } from '../../src/domain/country'
import { otherCountriesOfTaxId } from '../../src/domain/tax-id'

describe('the country a new company starts with (issue 16, rule 8)', () => {
  it('is the reader’s own when their language has one, unless the browser names an EU region in that language', () => {
    expect(defaultCountry('it', undefined)).toBe('IT')
    expect(defaultCountry('pl', 'it-IT,it;q=0.9')).toBe('PL')
    expect(defaultCountry('it', 'it-CH,it;q=0.9')).toBe('IT')
    expect(defaultCountry('en', 'en-IE')).toBe('IE')
    expect(defaultCountry('en', 'en-MT;q=0.9,en-GB')).toBe('MT')
  })

  it('for English readers, follows the browser’s first EU region or single-country language, else Poland', () => {
    expect(defaultCountry('en', 'de-AT,de;q=0.9')).toBe('AT')
    expect(defaultCountry('en', 'fr,de;q=0.5,sk;q=0.4')).toBe('SK')
    expect(defaultCountry('en', 'el-GR')).toBe('GR')
    expect(defaultCountry('en', 'en-US,en;q=0.9,*;q=0.1')).toBe('PL')
    expect(defaultCountry('en', 'cs;q=0,sv;q=0.2')).toBe('SE')
    expect(defaultCountry('en', ';;,garbage-,')).toBe('PL')
  })
})

describe('a tax id refused for the chosen country', () => {
  it('names the EU countries it is valid in; a VAT prefix names its own country only', () => {
    expect(otherCountriesOfTaxId('00743110157', 'PL')).toEqual(['IT'])
    expect(otherCountriesOfTaxId('IT 00743110157', 'PL')).toEqual(['IT'])
    expect(otherCountriesOfTaxId('DE136695976', 'PL')).toEqual(['DE'])
    expect(otherCountriesOfTaxId('774-000-14-54', 'IT')).toEqual(['PL'])
    expect(otherCountriesOfTaxId('12345678901', 'IT')).toEqual([])
    expect(otherCountriesOfTaxId('00743110157', 'IT')).toEqual([])
  })
})
