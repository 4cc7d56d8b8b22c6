// The voucher, "karta podarunkowa" (SPEC §9): one A4 page per e-code that looks like a gift card:
// the vendor over a coloured band, the grouped code, product and variant, the use-by date, the
// recipient and a message, and a QR code to the public redemption page drawn as vector shapes, so it
// stays sharp on any printer. A selection of vouchers is one document, one page each.
import type { PDFFont, PDFOperator, PDFPage, RGB } from 'pdf-lib'
import { formatDate, translator, type Language } from '../i18n'
import { A4, newPdf, printable, wrap } from './layout'
import { qrRectangles } from './qr'

export type VoucherInput = {
  lang: Language
  vendorName: string
  /** As printed: four groups, e.g. 'K7QF 3XMA 9B4K 2PZD'. */
  code: string
  /** Absolute address of the public redemption page, e.g. 'https://panel.example.com/r/K7QF3XMA9B4K2PZD'. */
  redeemUrl: string
  product: string
  /** In the org's language, e.g. 'podpis, 1 rok'. */
  variant: string
  expiresAt: Date
  /** The issuing org's zone, in which the use-by date is printed. */
  timeZone: string
  recipientName?: string | null
  /** Up to ~500 characters; longer ones are set smaller and, past what the card holds, cut with "…". */
  message?: string | null
}

const CARD_X = 56
const CARD_W = A4[0] - 2 * CARD_X
const CARD_TOP = A4[1] - 64
const PAD = 28
const INNER = CARD_W - 2 * PAD
const BAND = 64
const RADIUS = 14
/** The QR's white square, quiet zone included: a 29-module code (a ~45-character address) is 44 mm wide. */
const QR_BOX = 160
const GUTTER = 24
/** The message gets at most this much height; it is set in the first size that fits. */
const MESSAGE_HEIGHT = 170
const MESSAGE_SIZES = [11, 10, 9]
const LEADING = 1.45

type Colors = { ink: RGB; muted: RGB; accent: RGB; card: RGB; border: RGB; white: RGB; black: RGB }
type Ops = typeof import('pdf-lib')

/** One page per voucher, in the order given. `createdAt` is the document's metadata date (time is an input). */
export async function renderVouchersPdf(vouchers: VoucherInput[], options: { createdAt: Date }): Promise<Uint8Array<ArrayBuffer>> {
  const first = vouchers[0]
  if (!first) throw new Error('renderVouchersPdf needs at least one voucher')
  const t = translator(first.lang)
  const title = vouchers.length === 1 ? t('voucher.title', { code: first.code }) : t('voucher.titleMany', { count: vouchers.length })
  const { pdf, font, rgb } = await newPdf({ title, author: first.vendorName, lang: first.lang, createdAt: options.createdAt })
  // Already loaded by newPdf; the drawing operators come from the same lazy import.
  const ops = await import('pdf-lib')
  const colors: Colors = {
    ink: rgb(0.11, 0.14, 0.19),
    muted: rgb(0.35, 0.38, 0.45),
    accent: rgb(0.12, 0.27, 0.5),
    card: rgb(0.96, 0.97, 0.985),
    border: rgb(0.78, 0.82, 0.88),
    white: rgb(1, 1, 1),
    black: rgb(0, 0, 0),
  }
  // A gift card is not a legal document: a letter the font lacks (an emoji in a message) is left out
  // rather than printed as the "?" of invoices and statements (docs/rules.md).
  const charset = new Set(font.getCharacterSet())
  const metrics = measuredByWord(font)
  const print = (text: string) => printable(charset, text, '').replace(/[^\S\n]+/g, ' ')
  const optional = (text: string | null | undefined) => (text ? print(text) : null)
  for (const v of vouchers) {
    const input = { ...v, vendorName: print(v.vendorName), product: print(v.product), variant: print(v.variant) }
    drawVoucher(pdf.addPage(A4), { font, metrics }, ops, colors, { ...input, recipientName: optional(v.recipientName), message: optional(v.message) })
  }
  return new Uint8Array(await pdf.save())
}

type Text = { text: string; x: number; y: number; size: number; color: RGB }

/** `font` draws; `metrics` is the same font measuring through a cache of word widths. */
function drawVoucher(page: PDFPage, { font, metrics: m }: { font: PDFFont; metrics: PDFFont }, ops: Ops, c: Colors, v: VoucherInput): void {
  const t = translator(v.lang)
  const left = CARD_X + PAD
  const right = CARD_X + CARD_W - PAD
  // Everything is measured first, so that the card's background can be painted under it.
  const texts: Text[] = []
  /** Lines from `y` down, each `size` tall plus leading; returns the y under the last. */
  const lines = (list: string[], x: number, y: number, size: number, color: RGB): number => {
    for (const text of list) {
      texts.push({ text, x, y: y - size, size, color })
      y -= size * LEADING
    }
    return y
  }

  const kind = t('voucher.kind')
  const kindWidth = m.widthOfTextAtSize(kind, 11)
  const vendorSize = fitSize(m, v.vendorName, 20, INNER - kindWidth - 16)
  texts.push({ text: kind, x: right - kindWidth, y: CARD_TOP - BAND / 2 - 11 * 0.35, size: 11, color: c.white })
  texts.push({ text: v.vendorName, x: left, y: CARD_TOP - BAND / 2 - vendorSize * 0.35, size: vendorSize, color: c.white })
  let y = CARD_TOP - BAND - 24
  y = lines([t('voucher.ecode')], left, y, 10, c.muted) - 4
  y = lines([v.code], left, y, fitSize(m, v.code, 32, INNER), c.ink)
  const ruleY = y - 2
  const infoTop = ruleY - 22

  // Left of the QR: what it is, until when, for whom.
  const column = INNER - QR_BOX - GUTTER
  let ly = lines(clampLines(m, wrap(m, v.product, 20, column, true), 2, 20, column), left, infoTop, 20, c.ink)
  ly = lines(clampLines(m, wrap(m, v.variant, 12, column, true), 2, 12, column), left, ly + 2, 12, c.muted) - 12
  ly = lines(wrap(m, t('voucher.useBy', { date: formatDate(v.lang, v.expiresAt, v.timeZone) }), 12, column), left, ly, 12, c.ink) - 12
  const name = v.recipientName?.trim()
  if (name) ly = lines(clampLines(m, wrap(m, t('voucher.for', { name }), 14, column, true), 2, 14, column), left, ly, 14, c.ink)

  // The address under the QR, as large as fits; right-aligned with it, so a long one reaches left.
  const qrX = right - QR_BOX
  const qrBottom = infoTop - QR_BOX
  const urlSize = Math.max(6, fitSize(m, v.redeemUrl, 9, INNER))
  const urlLines = wrap(m, v.redeemUrl, urlSize, INNER, true)
  const urlWide = Math.max(...urlLines.map((l) => m.widthOfTextAtSize(l, urlSize))) > QR_BOX
  let uy = (urlWide ? Math.min(qrBottom, ly) : qrBottom) - 8
  for (const text of urlLines) {
    texts.push({ text, x: right - m.widthOfTextAtSize(text, urlSize), y: uy - urlSize, size: urlSize, color: c.muted })
    uy -= urlSize * LEADING
  }
  y = Math.min(ly, uy) - 16

  // The message, set off by a bar in the accent colour.
  const message = v.message?.trim()
  let bar: [top: number, bottom: number] | null = null
  if (message) {
    const { size, list } = messageLines(m, message, INNER - 14)
    const top = y
    y = lines(list, left + 14, y, size, c.ink)
    bar = [top, y + size * (LEADING - 1)]
    y -= 12
  }
  y = lines(wrap(m, t('voucher.instruction'), 9.5, INNER), left, y, 9.5, c.muted)
  const cardBottom = y - PAD + 9.5 * (LEADING - 1)

  // Paint from the back: card, band, rule, the QR on white, then the text over it.
  const { pushGraphicsState, popGraphicsState, setFillingRgbColor, setStrokingRgbColor, setLineWidth, rectangle, fill, fillAndStroke, stroke, moveTo, lineTo } = ops
  const fillWith = (color: RGB) => setFillingRgbColor(color.red, color.green, color.blue)
  page.pushOperators(
    pushGraphicsState(),
    fillWith(c.card),
    setStrokingRgbColor(c.border.red, c.border.green, c.border.blue),
    setLineWidth(0.8),
    ...roundedRect(ops, CARD_X, cardBottom, CARD_W, CARD_TOP - cardBottom, RADIUS),
    fillAndStroke(),
    fillWith(c.accent),
    ...roundedRect(ops, CARD_X, CARD_TOP - BAND, CARD_W, BAND, RADIUS),
    // Square off the band's lower corners.
    rectangle(CARD_X, CARD_TOP - BAND, CARD_W, RADIUS),
    fill(),
    setStrokingRgbColor(c.border.red, c.border.green, c.border.blue),
    moveTo(left, ruleY),
    lineTo(right, ruleY),
    stroke(),
    ...(bar ? [fillWith(c.accent), rectangle(left, bar[1], 3, bar[0] - bar[1]), fill()] : []),
    fillWith(c.white),
    ...roundedRect(ops, qrX, qrBottom, QR_BOX, QR_BOX, 6),
    fill(),
    // Pure black on white: the most contrast for a phone's camera.
    fillWith(c.black),
    ...qrRectangles(ops, v.redeemUrl, qrX, infoTop, QR_BOX),
    fill(),
    popGraphicsState(),
  )
  for (const text of texts) page.drawText(text.text, { x: text.x, y: text.y, size: text.size, font, color: text.color })
}

/** A closed path of a rectangle with rounded corners (cubic Bézier quarter circles). */
function roundedRect(ops: Ops, x: number, y: number, w: number, h: number, r: number): PDFOperator[] {
  const k = r * 0.5523
  const { moveTo, lineTo, appendBezierCurve: curve, closePath } = ops
  return [
    moveTo(x + r, y),
    lineTo(x + w - r, y),
    curve(x + w - r + k, y, x + w, y + r - k, x + w, y + r),
    lineTo(x + w, y + h - r),
    curve(x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h),
    lineTo(x + r, y + h),
    curve(x + r - k, y + h, x, y + h - r + k, x, y + h - r),
    lineTo(x, y + r),
    curve(x, y + r - k, x + r - k, y, x + r, y),
    closePath(),
  ]
}

/**
 * Wrapping measures a line once per word added to it. pdf-lib's widths are sums of glyph advances
 * (no kerning), so a line measures as its words plus its spaces, each word measured once per
 * document. This was three quarters of a voucher's time while @pdf-lib/fontkit shaped every
 * measurement (~0.5 ms a line); with src/pdf/truetype/ looking glyphs up one by one it saves little.
 * Drawing still goes through the font itself.
 */
function measuredByWord(font: PDFFont): PDFFont {
  const words = new Map<string, number>()
  const unit = (word: string) => {
    let width = words.get(word)
    if (width === undefined) words.set(word, (width = font.widthOfTextAtSize(word, 1000)))
    return width
  }
  const widthOfTextAtSize = (text: string, size: number) => {
    const parts = text.split(' ')
    return ((parts.reduce((sum, word) => sum + unit(word), 0) + (parts.length - 1) * unit(' ')) * size) / 1000
  }
  return Object.create(font, { widthOfTextAtSize: { value: widthOfTextAtSize } }) as PDFFont
}

/** The largest size up to `size` at which `text` fits in `width` on one line. */
function fitSize(font: PDFFont, text: string, size: number, width: number): number {
  const natural = font.widthOfTextAtSize(text, size)
  return natural <= width ? size : Math.floor(((size * width) / natural) * 10) / 10
}

/** At most `max` lines; what doesn't fit ends in "…" on the last one. */
function clampLines(font: PDFFont, lines: string[], max: number, size: number, width: number): string[] {
  if (lines.length <= max) return lines
  const kept = lines.slice(0, max)
  let last = `${kept[max - 1]} ${lines[max]}`
  while (last && font.widthOfTextAtSize(`${last}…`, size) > width) last = last.slice(0, -1)
  kept[max - 1] = `${last.trimEnd()}…`
  return kept
}

/**
 * The message keeps its line breaks. It is set at 11 pt when it fits the card's message area, else
 * at 10 or 9; at 9 pt a message still too long (the form allows ~500 characters, which fit at 11) is
 * cut with "…" rather than spill onto a second page.
 */
function messageLines(font: PDFFont, message: string, width: number): { size: number; list: string[] } {
  const at = (size: number) => message.split(/\r?\n/).flatMap((p) => wrap(font, p, size, width, true))
  for (const size of MESSAGE_SIZES) {
    const list = at(size)
    if (list.length * size * LEADING <= MESSAGE_HEIGHT) return { size, list }
  }
  const size = MESSAGE_SIZES[MESSAGE_SIZES.length - 1]!
  return { size, list: clampLines(font, at(size), Math.floor(MESSAGE_HEIGHT / (size * LEADING)), size, width) }
}
