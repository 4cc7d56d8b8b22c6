// KSeF's codes at the end of a Polish seller's invoice PDF (src/einvoice/kod1.ts and kod2.ts make the
// links): each QR code with its label under it (KOD I: the KSeF number, or OFFLINE; KOD II:
// CERTYFIKAT), what it is for, the link in print.
import type { PDFFont, RGB } from 'pdf-lib'
import { A4, wrap, type Flow } from './layout'
import { qrModules, qrRectangles } from './qr'

/** KOD I's side, quiet zone included: a ~105-character link is a 41-module code, 0.6 mm a module. */
const KSEF_QR = 112
/** A module's side for longer links (KOD II's signature makes it 200–460 characters): as KOD I's, so it scans as well. */
const MODULE = KSEF_QR / 49

/** The invoice's pen and measures: font, colours, left margin, text size and line spacing. */
type Pen = { font: PDFFont; ink: RGB; muted: RGB; margin: number; size: number; leading: number }

/**
 * A code at the left, its label centred under it; beside it what the code is for and the link itself
 * in small print, for anyone who can't scan. Kept together on one page.
 */
export function drawKsefCode(f: Flow, pen: Pen, ops: typeof import('pdf-lib'), code: { link: string; label: string }, [title, scan]: [string, string]): void {
  const { margin: MARGIN, size: TEXT, leading: LINE } = pen
  const labelSize = 8
  const side = Math.max(KSEF_QR, qrModules(code.link) * MODULE)
  const column = Math.max(side, pen.font.widthOfTextAtSize(code.label, labelSize))
  const textX = MARGIN + column + 16
  const textWidth = A4[0] - MARGIN - textX
  const scanLines = wrap(pen.font, scan, TEXT, textWidth)
  const linkLines = unhyphenated(wrap(pen.font, code.link, 7, textWidth, true))
  const textHeight = 12 + (scanLines.length + 1) * TEXT * LINE + linkLines.length * 7 * LINE
  f.room(20 + Math.max(side + labelSize + 4, textHeight))
  f.y -= 20
  const top = f.y
  const { pushGraphicsState, popGraphicsState, setFillingRgbColor, fill } = ops
  // Pure black on the white page: the most contrast for a phone's camera.
  f.page.pushOperators(pushGraphicsState(), setFillingRgbColor(0, 0, 0), ...qrRectangles(ops, code.link, MARGIN + (column - side) / 2, top, side), fill(), popGraphicsState())
  const labelWidth = pen.font.widthOfTextAtSize(code.label, labelSize)
  f.page.drawText(code.label, { x: MARGIN + (column - labelWidth) / 2, y: top - side - labelSize + 2, size: labelSize, font: pen.font, color: pen.ink })
  let y = top - 10 - 8
  f.page.drawText(title, { x: textX, y, size: 10, font: pen.font, color: pen.ink })
  y -= 6
  for (const text of scanLines) {
    y -= TEXT * LINE
    f.page.drawText(text, { x: textX, y, size: TEXT, font: pen.font, color: pen.muted })
  }
  y -= TEXT * 0.6
  for (const text of linkLines) {
    y -= 7 * LINE
    f.page.drawText(text, { x: textX, y, size: 7, font: pen.font, color: pen.ink })
  }
  f.y = Math.min(y, top - side - labelSize - 4)
}

/** A cut link's lines, none ending in "-": a reader (and pdftotext) would take it for a hyphenation and drop it. */
function unhyphenated(lines: string[]): string[] {
  return lines.map((l, i) => (i < lines.length - 1 && l.endsWith('-') ? l.slice(0, -1) : l)).map((l, i) => (i > 0 && lines[i - 1]!.endsWith('-') ? `-${l}` : l))
}
