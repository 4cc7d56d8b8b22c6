import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkCharacter, needsCodiceFiscale, normalizeCodiceFiscale } from '../../src/domain/codice-fiscale'

describe('the codice fiscale of a private person', () => {
  it('accepts commonly cited valid codes, in any case and with spaces', () => {
    // RSSMRA85T10A562S, by hand: odd positions (odd table) R8 S12 R8 8→19 T14 0→1 5→13 2→5 = 80;
    // even positions (index) S18 M12 A0 5 1 A0 6 = 42; 122 mod 26 = 18 → S.
    expect(normalizeCodiceFiscale('RSSMRA85T10A562S')).toEqual({ ok: true, value: 'RSSMRA85T10A562S' })
    expect(normalizeCodiceFiscale(' rssmra 85t10 a562s ')).toEqual({ ok: true, value: 'RSSMRA85T10A562S' })
    expect(normalizeCodiceFiscale('MRTMTT25D09F205Z')).toEqual({ ok: true, value: 'MRTMTT25D09F205Z' })
  })

  it('accepts omocodia letters in place of digits, with the check letter they give', () => {
    // The 15th character 2 (odd table 5) becomes N (odd table 20): 122 − 5 + 20 = 137, mod 26 = 7 → H.
    expect(normalizeCodiceFiscale('RSSMRA85T10A56NH')).toEqual({ ok: true, value: 'RSSMRA85T10A56NH' })
    expect(checkCharacter('RSSMRA85T10A56N')).toBe('H')
  })

  it("accepts a woman's day of birth (+40) and refuses days that exist for nobody", () => {
    expect(normalizeCodiceFiscale(`BNCLRA80A41H501${checkCharacter('BNCLRA80A41H501')}`).ok).toBe(true)
    for (const day of ['00', '32', '40', '72', '99']) {
      const first = `RSSMRA85T${day}A562`
      expect(normalizeCodiceFiscale(first + checkCharacter(first))).toEqual({ ok: false })
    }
  })

  it('refuses a wrong check letter, whichever it is', () => {
    for (const letter of 'ABCDEFGHIJKLMNOPQRTUVWXYZ') expect(normalizeCodiceFiscale(`RSSMRA85T10A562${letter}`)).toEqual({ ok: false })
  })

  it('refuses wrong lengths, characters out of place, and the 11-digit code of companies', () => {
    for (const bad of ['', 'RSSMRA85T10A562', 'RSSMRA85T10A562SX', 'RSSMRA85Z10A562S', 'RSSMR485T10A562S', 'RSSMRA85T10A5-2S', 'RSSMRÀ85T10A562S', '12345678903', '01234560017']) {
      expect(normalizeCodiceFiscale(bad), bad).toEqual({ ok: false })
    }
  })

  it('any single changed character of a valid code is refused', () => {
    const valid = 'RSSMRA85T10A562S'
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(valid[at] !== ch)
        const changed = valid.slice(0, at) + ch + valid.slice(at + 1)
        // Every position weighs each character differently (both tables are permutations of 0-25), so the sum mod 26 moves.
        expect(normalizeCodiceFiscale(changed).ok).toBe(false)
      }),
    )
  })

  it('is asked only of an Italian private person buying from an Italian seller', () => {
    expect(needsCodiceFiscale('IT', { country: 'IT', legalForm: 'person' })).toBe(true)
    expect(needsCodiceFiscale('IT', { country: 'IT', legalForm: 'company' })).toBe(false)
    expect(needsCodiceFiscale('IT', { country: 'IT', legalForm: 'sole_trader' })).toBe(false)
    expect(needsCodiceFiscale('IT', { country: 'DE', legalForm: 'person' })).toBe(false)
    expect(needsCodiceFiscale('PL', { country: 'IT', legalForm: 'person' })).toBe(false)
  })
})
