// The cut of DejaVu Sans the PDFs print in (src/pdf/font.ts), read by fontkit as an independent
// judge: it has a glyph for everything the product prints (every catalog message, Intl's dates,
// amounts and country names, the demo catalog, EU customers' names in every EU language), its glyphs
// are DejaVu Sans's own, the Worker's build writes the same bytes Node uses, and a letter outside it
// prints as "?" (docs/rules.md).
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import fontkit from '@pdf-lib/fontkit'
import { describe, expect, it } from 'vitest'
import { COUNTRIES } from '../../src/domain/orgs'
import { EU_COUNTRIES } from '../../src/domain/tax-id'
import { en } from '../../src/i18n/en'
import { it as itCatalog } from '../../src/i18n/it'
import { pl } from '../../src/i18n/pl'
import { formatDate, formatDateTime, formatMoney, formatNumber, LANGUAGES } from '../../src/i18n'
import { DEJAVU_SANS, dejaVuSans } from '../../src/pdf/font'
import { printable } from '../../src/pdf/layout'
import { statementPdf, type StatementInput } from '../../src/pdf/statement'
import { DEMO_CATALOG } from '../../src/seed/catalog'
import { pdfText } from '../helpers/pdf'

const cut = await dejaVuSans()
const subset = fontkit.create(cut)
const full = fontkit.create(readFileSync(createRequire(import.meta.url).resolve(DEJAVU_SANS)))

/** The characters of `text` the subset has no glyph for (white space aside: pdf-lib splits lines on it). */
const missing = (text: string) => [...new Set(text.normalize('NFC'))].filter((ch) => !/[\n\r]/.test(ch) && !subset.hasGlyphForCodePoint(ch.codePointAt(0)!))

/** Every string inside a value (catalog messages with plural forms, the demo catalog's nested records). */
function strings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value])
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out)
  return out
}

/** The strings that lack a glyph, as "where: characters", so a failure names them. */
const gaps = (texts: [string, string][]) => texts.flatMap(([where, text]) => (missing(text).length ? [`${where}: ${missing(text).join(' ')}`] : []))

/**
 * Company and person names with each EU language's own letters, the Latin-script languages' whole
 * sets of letters beyond A–Z, then Greek and Bulgarian.
 */
const EU_NAMES: Record<string, string> = {
  Polish: 'Łódzkie Zakłady Źródlane Żółć sp. z o.o., Ćma Ś. Ńęą — ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ',
  Czech: 'Žluťoučký kůň s.r.o., Řehoř Ďuriš — áčďéěíňóřšťúůýž ÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ',
  Slovak: 'Ľubomír Ďurčo, Kôň a Ĺad s.r.o. — áäčďéíĺľňóôŕšťúýž ÁÄČĎÉÍĹĽŇÓÔŔŠŤÚÝŽ',
  Hungarian: 'Árvíztűrő Tükörfúrógép Kft., Szőke Ödön — áéíóöőúüű ÁÉÍÓÖŐÚÜŰ',
  Romanian: 'Științific Țesătorii S.R.L., Ștefan Înțelept — ăâîșț ĂÂÎȘȚ şţŞŢ',
  Croatian: 'Đurđević i sinovi d.o.o., Čačić Ćorić — čćđšž ČĆĐŠŽ',
  Slovenian: 'Čebelarstvo Šušteršič d.o.o., Žiga — čšž ČŠŽ',
  Latvian: 'Ķēniņš un Ģimene SIA, Āboliņa Ļūdmila — āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ',
  Lithuanian: 'Žąsų Ūkis UAB, Jūratė Ėglė Įvairienė — ąčęėįšųūž ĄČĘĖĮŠŲŪŽ',
  Estonian: 'Õunapuu ja Täht OÜ, Šotš Žürii — äöõüšž ÄÖÕÜŠŽ',
  Maltese: 'Ħal Għargħur Ltd, Ċensu Żammit — ċġħż ĊĠĦŻ',
  German: 'Müller & Söhne GmbH, GROẞE Straße — äöüß ÄÖÜẞ',
  French: 'Œuvres Français SARL, Zoë Lefèvre-Ñoël — àâæçéèêëîïôœùûüÿ ÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ « »',
  Spanish: 'Señor Muñoz Peñalver S.L., ¿Qué? ¡Olé! — áéíñóúü ÁÉÍÑÓÚÜ ª º',
  Portuguese: 'Conceição & Irmãos Lda., João Gonçalves — ãõáâàçéêíóôú ÃÕÁÂÀÇÉÊÍÓÔÚ',
  Italian: 'Società È Più S.r.l., Niccolò Perché — àèéìíîòóùú ÀÈÉÌÍÎÒÓÙÚ',
  Danish: 'Ærø Øl & Ålborg ApS — æøå ÆØÅ',
  Swedish: 'Åkerö Ängsgård AB — åäö ÅÄÖ',
  Finnish: 'Äänekosken Öljy Oy, Šakki — äöå šž ÄÖÅ ŠŽ',
  Dutch: 'IJsselmeer Ĳzerhandel B.V., Zoë Geërfd — ĳ Ĳ ëï',
  Irish: 'Ó Súilleabháin Teo., Ḃríd Ċonn Ḋeasún, Ḟiach Ġráinne Ṁaoilín Ṗádraig Ṡeán Ṫadhg — áéíóú ḃċḋḟġṁṗṡṫ',
  Luxembourgish: 'Lëtzebuerger Gäert S.à r.l. — ëéä',
  Greek: 'Ελληνικά Προϊόντα Α.Ε., Ευάγγελος Παπαδόπουλος — ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ αβγδεζηθικλμνξοπρσςτυφχψω άέήίόύώ ΆΈΉΊΌΎΏ ϊϋΐΰ ΪΫ',
  Bulgarian: 'Българска Търговска Компания ЕООД, Йордан Щерев — АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ абвгдежзийклмнопрстуфхцчшщъьюя Ѝѝ',
}

describe('the PDF font subset', () => {
  it('is the file the Worker build writes and bundles, byte for byte, and a tenth of DejaVu Sans', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kontor-font-'))
    try {
      const target = join(dir, 'DejaVuSans-subset.ttf')
      // As wrangler.toml's [build] command runs it.
      await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/subset-font.ts', target])
      expect(Buffer.compare(readFileSync(target), cut)).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(subset.numGlyphs).toBeLessThan(1000)
    expect(full.numGlyphs).toBeGreaterThan(6000)
    expect(cut.length).toBeLessThan(100_000)
  })

  it('has a glyph for every message of the English, Polish and Italian catalogs', () => {
    const messages = [...strings(en, 'en'), ...strings(pl, 'pl'), ...strings(itCatalog, 'it')]
    expect(messages.length).toBeGreaterThan(3000)
    expect(gaps(messages)).toEqual([])
  })

  it('has a glyph for every date, amount, number and EU country name Intl prints in the three languages', () => {
    const texts: [string, string][] = []
    for (const lang of LANGUAGES) {
      for (let month = 0; month < 12; month++) {
        const date = new Date(Date.UTC(2026, month, 28, 15, 30))
        texts.push([`${lang} date`, formatDate(lang, date, 'Europe/Warsaw')], [`${lang} date-time`, formatDateTime(lang, date, 'Europe/Rome')])
      }
      for (const currency of ['PLN', 'EUR']) for (const minor of [0, 5, 123_456_789, -98_765]) texts.push([`${lang} ${currency}`, formatMoney(lang, minor, currency)])
      texts.push([`${lang} number`, formatNumber(lang, 1_234_567.891)], [`${lang} percent`, formatNumber(lang, -23.5)])
      const regions = new Intl.DisplayNames([lang], { type: 'region' })
      for (const country of new Set([...COUNTRIES, ...EU_COUNTRIES])) texts.push([`${lang} ${country}`, regions.of(country) ?? country])
    }
    expect(gaps(texts)).toEqual([])
  })

  it('has a glyph for every name, description, quota, add-on and variant of the demo catalog', () => {
    const texts = strings(DEMO_CATALOG, 'catalog')
    expect(texts.length).toBeGreaterThan(50)
    expect(gaps(texts)).toEqual([])
  })

  it('has a glyph for every letter of the EU languages: those written in Latin script, Greek and Bulgarian', () => {
    expect(gaps(Object.entries(EU_NAMES))).toEqual([])
    // And lacks what no EU language needs, which is why it is small.
    expect(missing('北京 한국 עברית العربية 🎉')).toEqual([...new Set('北京한국עבריתالعربية🎉')])
  })

  it('draws each letter exactly as DejaVu Sans does: the same outline and the same advance', () => {
    expect(subset.characterSet.length).toBeGreaterThan(500)
    const different = subset.characterSet.filter((cp) => {
      const [a, b] = [subset.glyphForCodePoint(cp), full.glyphForCodePoint(cp)]
      return a.advanceWidth !== b.advanceWidth || a.path.toSVG() !== b.path.toSVG()
    })
    expect(different.map((cp) => String.fromCodePoint(cp))).toEqual([])
    expect([subset.unitsPerEm, subset.ascent, subset.descent, subset.postscriptName]).toEqual([full.unitsPerEm, full.ascent, full.descent, full.postscriptName])
  })
})

describe('letters the PDF font lacks', () => {
  const statement = (company: string, name = 'Zofia Nowak'): StatementInput => ({
    lang: 'en',
    vendor: 'Kontor',
    company,
    taxId: 'EL094014201',
    email: 'zofia@example.com',
    name,
    uploadUrl: 'https://panel.example.com/o/acme/statement',
    now: new Date('2026-05-04T10:00:00Z'),
    timeZone: 'Europe/Athens',
  })

  it('Greek and Bulgarian companies print as registered', async () => {
    const text = pdfText(await statementPdf(statement('Ελληνικά Προϊόντα Α.Ε.', 'Йордан Щерев')))
    expect(text).toContain('Company Ελληνικά Προϊόντα Α.Ε.')
    expect(text).toContain('Name Йордан Щерев')
  })

  it('a statement prints each letter outside the font as "?", never as an empty box or nothing', async () => {
    const text = pdfText(await statementPdf(statement('Beijing 北京 Trading 🎉 Ltd')))
    expect(text).toContain('Company Beijing ?? Trading ? Ltd')
    expect(text).toContain('authorised to act on behalf of Beijing ?? Trading ? Ltd')
  })

  it('a combining accent joins its letter, and a ligature or full-width letter prints as plain letters', async () => {
    const text = pdfText(await statementPdf(statement('Cafe\u0301 ﬁnance ＡＢ', 'Zoe\u0308 Ba\u0301nffy')))
    expect(text).toContain('Company Café finance AB')
    expect(text).toContain('Name Zoë Bánffy')
  })

  it('the rule itself: NFC, compatibility forms, "?" (or nothing, for vouchers), line breaks kept, odd spaces made plain', () => {
    const charset = new Set(subset.characterSet)
    expect(printable(charset, 'Łódź 北京\nCafe\u0301\u3000ﬁ', '?')).toBe('Łódź ??\nCafé fi')
    expect(printable(charset, 'Sto lat! 🎉', '')).toBe('Sto lat! ')
  })
})
