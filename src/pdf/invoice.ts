// The invoice of a paid order (SPEC §7) as an A4 PDF in the buyer's language: number and dates,
// seller and buyer, one table row per order line, VAT by rate, totals, and the reverse-charge note.
// Everything printed comes from the order and the invoice's snapshots, never from the live catalog.
// A long order continues on further pages, which repeat the heading and the column titles.
// A Polish seller's invoice ends with KSeF's KOD I: the QR code of the link to the invoice in KSeF,
// labelled with its KSeF number (OFFLINE while it has none); an offline one also with KOD II,
// labelled CERTYFIKAT, when an Offline certificate is configured. A Polish seller's invoice in another
// currency with Polish VAT states that VAT in złoty per rate and the NBP rate used (art. 106e ust. 11).
import type { PDFFont, PDFPage, RGB } from 'pdf-lib'
import type { BillingSnapshot, PaymentMethod, SellerSnapshot } from '../db/schema'
import { REVERSE_CHARGE_NOTE, type VatTotals } from '../domain/vat'
import { countryName, withCountryIn } from '../domain/country-names'
import { formatDate, formatMoney, formatNumber, translator, type Language } from '../i18n'
import { A4, drawRight, flow, newPdf, wrap, type Flow } from './layout'
import { drawKsefCode } from './ksef-code'
import type { PlnConversion } from '../einvoice/nbp/rates'

export type InvoiceLine = { label: string; quantity: number; unitNetMinor: number; netMinor: number; vatRateBp: number; vatMinor: number }

export type InvoiceInput = {
  lang: Language
  number: string
  /** Issue date, which is also the date of sale: the invoice is issued when the order is paid. */
  issuedAt: Date
  /** The vendor's zone, in which the dates are printed. */
  timeZone: string
  orderNumber: string
  seller: SellerSnapshot
  /** The seller's country (a code): its address prints it in the invoice's language, like the buyer's. */
  sellerCountry: string
  buyer: BillingSnapshot
  currency: string
  lines: InvoiceLine[]
  totals: VatTotals
  /** VAT is the buyer's to account for: rates print as "np." and the legal note is added. */
  reverseCharge: boolean
  paymentMethod: PaymentMethod
  /** The brand over the page (config.vendorName). */
  vendorName: string
  /** KSeF's KOD I (src/einvoice/kod1.ts) for an FA(3) invoice: the link in the code and the label under it; KOD II (kod2.ts) as `certificate`. */
  ksef?: { link: string; label: string; certificate?: { link: string; label: string } | null } | null
  /** The VAT in złoty and the NBP rate (src/einvoice/nbp/rates.ts), the same amounts as the FA(3)'s P_14_xW; null when not needed. */
  pln?: PlnConversion | null
}

const MARGIN = 42
const WIDTH = A4[0] - 2 * MARGIN
const BOTTOM = 64
const TEXT = 9
const TABLE = 8
const PAD = 4
const LINE = 1.35
/** Amount columns are at least this wide, so their titles wrap on two lines rather than three. */
const MONEY_MIN = 46

type Pen = { font: PDFFont; ink: RGB; muted: RGB; rule: RGB }

type Column = { title: string; align: 'left' | 'right'; x: number; width: number }

export async function renderInvoicePdf(input: InvoiceInput): Promise<Uint8Array<ArrayBuffer>> {
  const { lang, currency } = input
  const t = translator(lang)
  const title = t('invoice.title', { number: input.number })
  const { pdf, font, rgb } = await newPdf({ title, author: input.vendorName, lang, createdAt: input.issuedAt })
  const pen: Pen = { font, ink: rgb(0.11, 0.14, 0.19), muted: rgb(0.35, 0.38, 0.45), rule: rgb(0.8, 0.82, 0.86) }
  const money = (minor: number) => formatMoney(lang, minor, currency)
  const rate = (bp: number) => (input.reverseCharge ? t('invoice.rate.reverseCharge') : `${formatNumber(lang, bp / 100)}%`)

  const f = flow(pdf, { top: MARGIN, bottom: BOTTOM })
  f.onNewPage = () => line(f, pen, title, TEXT, pen.muted, 10)
  line(f, pen, input.vendorName, 10, pen.muted, 8)
  line(f, pen, title, 18, pen.ink, 10)
  const date = formatDate(lang, input.issuedAt, input.timeZone)
  fact(f, pen, t('invoice.issuedAt'), date)
  fact(f, pen, t('invoice.saleDate'), date)
  fact(f, pen, t('invoice.order'), input.orderNumber)
  f.y -= 18

  const { seller, buyer } = input
  // Both countries in the invoice's language: the configured address may name the seller's in another.
  const country = countryName(buyer.country, lang)
  const sellerAddress = withCountryIn(seller.addressLines, input.sellerCountry, lang)
  parties(f, pen, [
    [t('invoice.seller'), [seller.name, ...sellerAddress, [t('invoice.taxId'), seller.taxId], [t('invoice.bankAccount'), seller.bankAccount]]],
    [
      t('invoice.buyer'),
      [
        buyer.name,
        buyer.addressLine,
        `${buyer.postalCode} ${buyer.city}`,
        country,
        ...(buyer.taxId ? [[t('invoice.taxId'), buyer.taxId] as const] : []),
        ...(buyer.codiceFiscale ? [[t('invoice.codiceFiscale'), buyer.codiceFiscale] as const] : []),
        ...(buyer.einvoiceId ? [[t('invoice.einvoiceId'), buyer.einvoiceId] as const] : []),
      ],
    ],
  ])
  f.y -= 20

  const rows = input.lines.map((l, i) => [
    String(i + 1),
    l.label,
    formatNumber(lang, l.quantity),
    money(l.unitNetMinor),
    money(l.netMinor),
    rate(l.vatRateBp),
    money(l.vatMinor),
    money(l.netMinor + l.vatMinor),
  ])
  const summary = input.totals.byRate.map((r) => [money(r.netMinor), rate(Math.round(r.ratePercent * 100)), money(r.vatMinor), money(r.netMinor + r.vatMinor)])
  const titles = (['no', 'description', 'quantity', 'unitNet', 'net', 'rate', 'vat', 'gross'] as const).map((c) => t(`invoice.col.${c}`))
  const columns = layoutColumns(font, titles, [...rows, ...summary.map((s) => ['', '', '', '', ...s])])

  f.onNewPage = () => {
    line(f, pen, title, TEXT, pen.muted, 10)
    tableHead(f, pen, columns)
  }
  tableHead(f, pen, columns)
  for (const row of rows) tableRow(f, pen, columns, row)
  summary.forEach((cells, i) => tableRow(f, pen, columns, [i === 0 ? t('invoice.byRate') : '', '', '', '', ...cells], { span: true, rule: false }))
  f.onNewPage = () => line(f, pen, title, TEXT, pen.muted, 10)
  f.y -= 14

  const totals: [string, string, number][] = [
    [t('invoice.totalNet'), money(input.totals.netMinor), TEXT],
    [t('invoice.totalVat'), money(input.totals.vatMinor), TEXT],
    [t('invoice.totalGross'), money(input.totals.grossMinor), 11],
    [t('invoice.paid', { method: t(`invoice.method.${input.paymentMethod}`) }), money(input.totals.grossMinor), TEXT],
    [t('invoice.toPay'), money(0), 11],
  ]
  totalsBlock(f, pen, totals)
  if (input.pln) plnVat(f, pen, input.lang, input.pln, rate)
  if (input.reverseCharge) {
    f.y -= 16
    line(f, pen, t(REVERSE_CHARGE_NOTE), 11, pen.ink, 6)
  }
  if (input.ksef) {
    const ops = await import('pdf-lib')
    const codePen = { ...pen, margin: MARGIN, size: TEXT, leading: LINE }
    drawKsefCode(f, codePen, ops, input.ksef, [t('invoice.ksef.title'), t('invoice.ksef.scan')])
    if (input.ksef.certificate) drawKsefCode(f, codePen, ops, input.ksef.certificate, [t('invoice.ksef.certificateTitle'), t('invoice.ksef.certificateScan')])
  }

  // Page numbers last, once the number of pages is known.
  const pages = pdf.getPages()
  pages.forEach((page, i) => {
    page.drawText(input.number, { x: MARGIN, y: 32, size: 7.5, font, color: pen.muted })
    drawRight(page, t('invoice.page', { page: i + 1, pages: pages.length }), A4[0] - MARGIN, 32, { size: 7.5, font, color: pen.muted })
  })
  return new Uint8Array(await pdf.save())
}

/** Label and amount pairs at the right, kept together on one page. */
function totalsBlock(f: Flow, pen: Pen, rows: [label: string, amount: string, size: number][]): void {
  f.room(rows.reduce((sum, [, , size]) => sum + size * 1.8, 0))
  // Labels end just left of the amounts, so that text readers keep each pair together.
  const labelRight = A4[0] - MARGIN - Math.max(...rows.map(([, amount, size]) => pen.font.widthOfTextAtSize(amount, size))) - 16
  for (const [label, amount, size] of rows) {
    f.y -= size
    drawRight(f.page, label, labelRight, f.y, { size, font: pen.font, color: pen.muted })
    drawRight(f.page, amount, A4[0] - MARGIN, f.y, { size, font: pen.font, color: pen.ink })
    f.y -= size * 0.8
  }
}

/** The VAT of each rate in złoty, their total, and the NBP rate they were converted at (or the day whose rate is awaited). */
function plnVat(f: Flow, pen: Pen, lang: Language, pln: PlnConversion, rate: (bp: number) => string): void {
  const t = translator(lang)
  const day = (iso: string) => formatDate(lang, new Date(`${iso}T12:00:00Z`))
  f.y -= 14
  if (pln.status === 'missing') {
    for (const text of wrap(pen.font, t('invoice.pln.waiting', { date: day(pln.day) }), TEXT, WIDTH)) line(f, pen, text, TEXT, pen.muted, TEXT * (LINE - 1))
    return
  }
  line(f, pen, t('invoice.pln.title'), TEXT, pen.ink, 2)
  const inPln = (minor: number) => formatMoney(lang, minor, 'PLN')
  const rows: [string, string, number][] = pln.byRate.map((r) => [t('invoice.pln.vat', { rate: rate(Math.round(r.ratePercent * 100)) }), inPln(r.plnMinor), TEXT])
  if (pln.byRate.length > 1) rows.push([t('invoice.pln.total'), inPln(pln.byRate.reduce((sum, r) => sum + r.plnMinor, 0)), TEXT])
  totalsBlock(f, pen, rows)
  // The NBP's digits as published, with the language's decimal comma.
  const number = lang === 'en' ? pln.rate.rate : pln.rate.rate.replace('.', ',')
  const text = t('invoice.pln.rate', { date: day(pln.rate.effectiveDate), table: pln.rate.tableNo, currency: pln.rate.currency, rate: number })
  for (const l of wrap(pen.font, text, TEXT, WIDTH)) line(f, pen, l, TEXT, pen.muted, TEXT * (LINE - 1))
}

/** One line of text at the left margin, then `gap` points of space. */
function line(f: Flow, pen: Pen, text: string, size: number, color: RGB, gap: number): void {
  f.room(size + gap)
  f.y -= size
  f.page.drawText(text, { x: MARGIN, y: f.y, size, font: pen.font, color })
  f.y -= gap
}

/** "Label: value", the label muted. */
function fact(f: Flow, pen: Pen, label: string, value: string): void {
  f.room(TEXT * LINE)
  f.y -= TEXT
  const text = `${label}: `
  f.page.drawText(text, { x: MARGIN, y: f.y, size: TEXT, font: pen.font, color: pen.muted })
  f.page.drawText(value, { x: MARGIN + pen.font.widthOfTextAtSize(text, TEXT), y: f.y, size: TEXT, font: pen.font, color: pen.ink })
  f.y -= TEXT * (LINE - 1)
}

/** A line of a party: plain text, or a labelled value ("NIP: …"). */
type PartyLine = string | readonly [label: string, value: string]

/**
 * Seller and buyer side by side, each a heading over its lines; long lines wrap within the half,
 * and a labelled value too long for one line starts on the line below its label.
 */
function parties(f: Flow, pen: Pen, blocks: [string, PartyLine[]][]): void {
  const gutter = 24
  const width = (WIDTH - gutter) / blocks.length
  const fit = (text: string) => wrap(pen.font, text, TEXT, width, true)
  const wrapped = blocks.map(([heading, lines]) => {
    const out = lines.flatMap((l) => {
      if (typeof l === 'string') return fit(l)
      const joined = fit(`${l[0]}: ${l[1]}`)
      return joined.length === 1 ? joined : [`${l[0]}:`, ...fit(l[1])]
    })
    return [heading, out] as const
  })
  f.room(12 + Math.max(...wrapped.map(([, lines]) => lines.length)) * TEXT * LINE + 4)
  let bottom = f.y
  wrapped.forEach(([heading, lines], i) => {
    const x = MARGIN + i * (width + gutter)
    let y = f.y - 10
    f.page.drawText(heading, { x, y, size: 10, font: pen.font, color: pen.muted })
    y -= 6
    lines.forEach((text) => {
      y -= TEXT * LINE
      f.page.drawText(text, { x, y, size: TEXT, font: pen.font, color: pen.ink })
    })
    bottom = Math.min(bottom, y)
  })
  f.y = bottom
}

/**
 * Each figure column is as wide as its widest cell (or the longest word of its title); the
 * description takes what is left and wraps.
 */
function layoutColumns(font: PDFFont, titles: string[], rows: string[][]): Column[] {
  const widths = titles.map((title, c) => {
    if (c === 1) return 0
    const words = title.split(/\s+/).map((w) => font.widthOfTextAtSize(w, TABLE))
    const cells = rows.map((r) => font.widthOfTextAtSize(r[c] ?? '', TABLE))
    return Math.max(c > 2 && c !== 5 ? MONEY_MIN : 0, ...words, ...cells) + 2 * PAD
  })
  widths[1] = WIDTH - widths.reduce((a, b) => a + b, 0)
  let x = MARGIN
  return titles.map((title, c) => {
    const column: Column = { title, align: c === 1 ? 'left' : 'right', x, width: widths[c]! }
    x += column.width
    return column
  })
}

function cellX(font: PDFFont, column: Column, text: string): number {
  return column.align === 'left' ? column.x + PAD : column.x + column.width - PAD - font.widthOfTextAtSize(text, TABLE)
}

function tableHead(f: Flow, pen: Pen, columns: Column[]): void {
  const titles = columns.map((c) => wrap(pen.font, c.title, TABLE, c.width - 2 * PAD))
  const height = Math.max(...titles.map((t) => t.length)) * TABLE * LINE + PAD
  f.room(height + 3 * TABLE)
  titles.forEach((lines, c) => {
    lines.forEach((text, n) => {
      f.page.drawText(text, { x: cellX(pen.font, columns[c]!, text), y: f.y - TABLE - n * TABLE * LINE, size: TABLE, font: pen.font, color: pen.muted })
    })
  })
  f.y -= height
  rule(f.page, f.y, pen.ink)
}

/**
 * One row: the description wraps, the figures stand on its first line. With `span` (the VAT
 * summary), the first cell runs across the columns left of the amounts and ends next to them.
 */
function tableRow(f: Flow, pen: Pen, columns: Column[], cells: string[], options: { span?: boolean; rule?: boolean } = {}): void {
  const first = options.span ? { ...columns[0]!, width: columns.slice(0, 4).reduce((w, c) => w + c.width, 0) } : columns[1]!
  const description = options.span ? wrap(pen.font, cells[0]!, TABLE, first.width - 2 * PAD, true) : wrap(pen.font, cells[1]!, TABLE, first.width - 2 * PAD, true)
  const height = Math.max(1, description.length) * TABLE * LINE + PAD
  f.room(height)
  const top = f.y - PAD / 2 - TABLE
  description.forEach((text, n) => {
    const x = options.span ? first.x + first.width - PAD - pen.font.widthOfTextAtSize(text, TABLE) : first.x + PAD
    f.page.drawText(text, { x, y: top - n * TABLE * LINE, size: TABLE, font: pen.font, color: options.span ? pen.muted : pen.ink })
  })
  cells.forEach((text, c) => {
    if (c === 1 || (options.span && c < 4) || !text) return
    f.page.drawText(text, { x: cellX(pen.font, columns[c]!, text), y: top, size: TABLE, font: pen.font, color: pen.ink })
  })
  f.y -= height
  if (options.rule !== false) rule(f.page, f.y, pen.rule)
}

function rule(page: PDFPage, y: number, color: RGB): void {
  page.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.5, color })
}
