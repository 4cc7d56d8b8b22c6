// The pre-filled statement of authorisation (SPEC §3.2): one A4 page in the user's language with
// the company, its tax id, the user's login e-mail and name, the date, the statement and lines to
// sign on. The font is embedded as a subset, so the file stays small and prints ą, ł, è everywhere.
import type { PDFFont, PDFPage, RGB } from 'pdf-lib'
import { formatDate, translator, type Language } from '../i18n'
import { A4, newPdf, wrap } from './layout'

export type StatementInput = {
  lang: Language
  vendor: string
  company: string
  /** As displayed (PL774-000-14-54), or null for a private person. */
  taxId: string | null
  email: string
  name: string
  /** Where to upload the signed page. */
  uploadUrl: string
  now: Date
  timeZone: string
}

const MARGIN = 56

/** Draws wrapped text from `y` down; returns the y below it. */
function paragraph(page: PDFPage, font: PDFFont, text: string, y: number, size: number, color: RGB): number {
  const lineHeight = size * 1.45
  for (const line of wrap(font, text, size, A4[0] - 2 * MARGIN)) {
    page.drawText(line, { x: MARGIN, y, size, font, color })
    y -= lineHeight
  }
  return y
}

export async function statementPdf(input: StatementInput): Promise<Uint8Array<ArrayBuffer>> {
  const t = translator(input.lang)
  const title = t('statement.pdf.title')
  const { pdf, font, rgb } = await newPdf({ title: `${title} — ${input.company}`, author: input.vendor, lang: input.lang, createdAt: input.now })
  const ink = rgb(0.11, 0.14, 0.19)
  const muted = rgb(0.35, 0.38, 0.45)

  const page = pdf.addPage(A4)
  let y = A4[1] - MARGIN - 18
  page.drawText(title, { x: MARGIN, y, size: 18, font, color: ink })
  y -= 28
  y = paragraph(page, font, t('statement.pdf.to', { vendor: input.vendor }), y, 11, muted) - 16

  const taxId = input.taxId ?? '–'
  const facts: [string, string][] = [
    [t('statement.pdf.company'), input.company],
    [t('statement.pdf.taxId'), taxId],
    [t('statement.pdf.name'), input.name],
    [t('statement.pdf.email'), input.email],
    [t('statement.pdf.date'), formatDate(input.lang, input.now, input.timeZone)],
  ]
  const labelWidth = Math.max(...facts.map(([label]) => font.widthOfTextAtSize(label, 11))) + 16
  for (const [label, value] of facts) {
    page.drawText(label, { x: MARGIN, y, size: 11, font, color: muted })
    // Long company names wrap within the value column.
    for (const line of wrap(font, value, 11, A4[0] - 2 * MARGIN - labelWidth)) {
      page.drawText(line, { x: MARGIN + labelWidth, y, size: 11, font, color: ink })
      y -= 16
    }
    y -= 4
  }
  y -= 16
  const body = t('statement.pdf.body', { name: input.name, company: input.company, taxId, vendor: input.vendor, email: input.email })
  y = paragraph(page, font, body, y, 12, ink)

  // Two signature lines side by side, well below the text.
  const lineY = Math.min(y - 90, 260)
  const half = (A4[0] - 2 * MARGIN - 40) / 2
  for (const [x, label] of [
    [MARGIN, t('statement.pdf.place')],
    [MARGIN + half + 40, t('statement.pdf.signature')],
  ] as const) {
    page.drawLine({ start: { x, y: lineY }, end: { x: x + half, y: lineY }, thickness: 0.8, color: ink })
    page.drawText(label, { x, y: lineY - 14, size: 9, font, color: muted })
  }
  paragraph(page, font, t('statement.pdf.upload', { url: input.uploadUrl }), MARGIN + 20, 9, muted)
  return new Uint8Array(await pdf.save())
}
