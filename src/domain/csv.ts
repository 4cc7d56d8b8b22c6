// CSV reports that open in Excel (SPEC §11): UTF-8 with a byte-order mark, and the list separator
// Excel uses in the reader's language (a semicolon in Polish and Italian, a comma in English).
import type { Language } from '../i18n'

export const csvSeparator = (lang: Language) => (lang === 'en' ? ',' : ';')

export function csvLine(cells: (string | number | null | undefined)[], separator: string): string {
  return cells
    .map((cell) => {
      const text = cell === null || cell === undefined ? '' : String(cell)
      // Quote what would break the row, and defuse cells Excel would run as formulas.
      const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
      return /["\r\n]/.test(safe) || safe.includes(separator) ? `"${safe.replace(/"/g, '""')}"` : safe
    })
    .join(separator)
}

export const CSV_BOM = '\uFEFF'
