import { describe, expect, it } from 'vitest'
import { csvLine, csvSeparator } from '../../src/domain/csv'

describe('CSV lines', () => {
  it('quote separators, quotes and line breaks', () => {
    expect(csvLine(['a', 'b;c', 'd"e', 'f\ng', null, 7], ';')).toBe('a;"b;c";"d""e";"f\ng";;7')
    expect(csvLine(['b;c', 'x,y'], ',')).toBe('b;c,"x,y"')
  })

  it('defuse cells Excel would run as formulas', () => {
    expect(csvLine(['=SUM(A1)', '+1', '-2', '@cmd', 'ok'], ',')).toBe("'=SUM(A1),'+1,'-2,'@cmd,ok")
  })

  it('use the list separator of the reader’s Excel', () => {
    expect([csvSeparator('en'), csvSeparator('pl'), csvSeparator('it')]).toEqual([',', ';', ';'])
  })
})
