import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { formatDate } from '../../src/i18n'
import { renderVouchersPdf, type VoucherInput } from '../../src/pdf/voucher'
import { pdfPageCount, pdfQrCodes, pdfText } from '../helpers/pdf'

const redeemUrl = (code: string) => `https://panel.example.com/r/${code.replace(/ /g, '')}`

function voucher(overrides: Partial<VoucherInput> = {}): VoucherInput {
  const code = overrides.code ?? 'K7QF 3XMA 9B4K 2PZD'
  return {
    lang: 'pl',
    vendorName: 'Kontor',
    code,
    redeemUrl: redeemUrl(code),
    product: 'SimplySign',
    variant: 'podpis, 1 rok',
    // Late on 30 November in UTC is already 1 December in Warsaw: the issuing org's calendar counts.
    expiresAt: new Date('2027-11-30T23:30:00Z'),
    timeZone: 'Europe/Warsaw',
    recipientName: 'Łucja Żółkiewska-Bęśka',
    message: 'Wszystkiego najlepszego! Niech ten podpis oszczędzi Ci kolejek w urzędzie. Ściskamy — zespół księgowości.',
    ...overrides,
  }
}

const createdAt = new Date('2026-03-02T09:00:00Z')
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim()

describe('voucher PDF', () => {
  it('a Polish voucher prints the code, product, variant, use-by date, recipient and address, and its QR code opens the address', async () => {
    const input = voucher()
    const bytes = await renderVouchersPdf([input], { createdAt })
    expect(pdfPageCount(bytes)).toBe(1)
    const text = pdfText(bytes)
    const useBy = formatDate('pl', input.expiresAt, 'Europe/Warsaw')
    expect(useBy).toBe('1 grudnia 2027')
    expect(text).toContain('Kontor Karta podarunkowa Twój e-kod K7QF 3XMA 9B4K 2PZD SimplySign podpis, 1 rok Wykorzystaj do 1 grudnia 2027')
    expect(text).toContain('Dla: Łucja Żółkiewska-Bęśka')
    expect(text).toContain('https://panel.example.com/r/K7QF3XMA9B4K2PZD')
    expect(text).toContain(input.message)
    expect(text).toContain('Zeskanuj kod QR lub otwórz adres, zaloguj się lub załóż konto i zrealizuj e-kod.')
    expect(pdfQrCodes(bytes)).toEqual([['https://panel.example.com/r/K7QF3XMA9B4K2PZD']])
  })

  it('is titled after the code in the org’s language, and the font travels as a subset', async () => {
    const bytes = await renderVouchersPdf([voucher()], { createdAt })
    const doc = await PDFDocument.load(bytes, { updateMetadata: false })
    expect(doc.getTitle()).toBe('Karta podarunkowa K7QF 3XMA 9B4K 2PZD')
    expect(doc.getAuthor()).toBe('Kontor')
    expect(doc.getCreationDate()).toEqual(createdAt)
    // The whole DejaVu Sans is ~750 KB; the page needs a few dozen of its letters.
    expect(bytes.length).toBeLessThan(40_000)
  })

  it('a selection of three vouchers is one document of three pages, each QR code opening its own voucher', async () => {
    const codes = ['K7QF 3XMA 9B4K 2PZD', 'M4TR 8HWC 2NQE 7XJB', 'Z9PK 5RDF 3GUV 6YLA']
    const bytes = await renderVouchersPdf(
      codes.map((code, i) => voucher({ code, recipientName: i === 1 ? null : `Osoba ${i + 1}`, message: null })),
      { createdAt },
    )
    expect(pdfPageCount(bytes)).toBe(3)
    expect(pdfQrCodes(bytes)).toEqual(codes.map((code) => [redeemUrl(code)]))
    const text = pdfText(bytes)
    expect(codes.map((code) => text.indexOf(code))).toEqual([...codes.map((code) => text.indexOf(code))].sort((a, b) => a - b))
    expect(text).toContain('Dla: Osoba 1')
    expect(text).not.toContain('Dla: Osoba 2')
    expect(text).toContain('Dla: Osoba 3')
    expect((await PDFDocument.load(bytes)).getTitle()).toBe('3 karty podarunkowe')
  })

  it('an Italian voucher speaks Italian and prints è, à and ò as written', async () => {
    const bytes = await renderVouchersPdf(
      [
        voucher({
          lang: 'it',
          timeZone: 'Europe/Rome',
          variant: 'firma, validità 1 anno',
          recipientName: 'Niccolò Bàrtoli',
          message: 'È un piccolo regalo, perché te lo meriti. A presto, Martina',
        }),
      ],
      { createdAt },
    )
    const text = pdfText(bytes)
    expect(text).toContain('Kontor Carta regalo Il tuo e-code K7QF 3XMA 9B4K 2PZD SimplySign firma, validità 1 anno Scadenza: 1 dicembre 2027')
    expect(text).toContain('Per Niccolò Bàrtoli')
    expect(text).toContain('È un piccolo regalo, perché te lo meriti. A presto, Martina')
    expect(text).toContain('Inquadra il codice QR o apri l’indirizzo, accedi o crea un account e riscatta l’e-code.')
    expect(pdfQrCodes(bytes)).toEqual([[redeemUrl('K7QF 3XMA 9B4K 2PZD')]])
  })

  it('without a recipient or a message, an English voucher prints neither and its date in the org’s zone', async () => {
    const bytes = await renderVouchersPdf([voucher({ lang: 'en', variant: 'signature, 1 year', timeZone: 'UTC', recipientName: null, message: '  ' })], { createdAt })
    const text = collapse(pdfText(bytes))
    expect(text).toBe(
      'Kontor Gift card Your e-code K7QF 3XMA 9B4K 2PZD SimplySign signature, 1 year Use by 30 November 2027 ' +
        'https://panel.example.com/r/K7QF3XMA9B4K2PZD ' +
        'Scan the QR code or open the address, sign in or create an account, and redeem the e-code. It can be used once.',
    )
  })

  it('a message of 500 characters, as the form allows, prints whole on the one page with its line breaks kept', async () => {
    const sentence = 'Dziękujemy za świetną współpracę w tym roku — żółw, gęś i łabędź też się cieszą! '
    const message = `Droga Łucjo,\n${sentence.repeat(8)}`.slice(0, 500)
    expect(message.length).toBe(500)
    const bytes = await renderVouchersPdf([voucher({ message })], { createdAt })
    expect(pdfPageCount(bytes)).toBe(1)
    expect(pdfText(bytes)).toContain(collapse(message))
    expect(pdfQrCodes(bytes)).toEqual([[redeemUrl('K7QF 3XMA 9B4K 2PZD')]])
  })

  it('a message far longer than the form allows still stays on the one page, cut with an ellipsis, the instructions after it', async () => {
    const words = Array.from({ length: 600 }, (_, i) => `słowo${i + 1}`)
    const bytes = await renderVouchersPdf([voucher({ message: words.join(' ') })], { createdAt })
    expect(pdfPageCount(bytes)).toBe(1)
    const text = collapse(pdfText(bytes))
    expect(text).toContain('słowo1 słowo2 słowo3')
    expect(text).not.toContain('słowo600')
    expect(text).toMatch(/słowo\d*… Zeskanuj kod QR/)
    expect(pdfQrCodes(bytes)).toEqual([[redeemUrl('K7QF 3XMA 9B4K 2PZD')]])
  })

  it('leaves out letters the font lacks rather than printing empty boxes', async () => {
    const bytes = await renderVouchersPdf([voucher({ message: 'Sto lat! 生日快乐 — zespół' })], { createdAt })
    const text = pdfText(bytes)
    expect(text).toContain('Sto lat! — zespół')
    expect(text).not.toContain('生')
  })

  it('refuses an empty selection', async () => {
    await expect(renderVouchersPdf([], { createdAt })).rejects.toThrow('at least one voucher')
  })
})
