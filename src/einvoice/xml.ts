// Writing the e-invoices' XML by hand: text and attributes escaped, characters XML 1.0 forbids left
// out, amounts from minor units, and the Latin-1 spelling FatturaPA's text fields demand.

/** An element: `[name, children]` or `[name, text]`; a null or undefined child is left out. */
export type Node = readonly [name: string, content: string | readonly Child[], attributes?: Readonly<Record<string, string>>]

/** A child, or a falsy value for one left out (so `cond && [name, text]` reads naturally). */
type Child = Node | null | undefined | false | ''

/** The document as UTF-8 text: declaration, then the tree, two spaces per level, LF line ends, no BOM. */
export function xmlDocument(root: Node): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root, 0)}\n`
}

function render([name, content, attributes]: Node, depth: number): string {
  const pad = '  '.repeat(depth)
  const attrs = Object.entries(attributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('')
  if (typeof content === 'string') return `${pad}<${name}${attrs}>${escapeXml(content)}</${name}>`
  const children = content.filter((c): c is Node => Boolean(c))
  if (children.length === 0) return `${pad}<${name}${attrs}/>`
  return `${pad}<${name}${attrs}>\n${children.map((c) => render(c, depth + 1)).join('\n')}\n${pad}</${name}>`
}

/**
 * Text for element content or a double-quoted attribute. Characters XML 1.0 cannot carry (C0 controls
 * other than tab and line ends, lone surrogates, U+FFFE/U+FFFF) are dropped, never written: KSeF
 * and SdI refuse such a file outright, and Kontor's forms already refuse them in names.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
}

/** Minor units as a decimal with two places ("-12.30"); exact, no floating point. */
export function decimal2(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`an amount must be a safe integer of minor units, got ${minor}`)
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(minor)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** A rate in hundredths of a percent as "22.00" (FatturaPA's RateType). */
export function rate2(bp: number): string {
  return decimal2(bp)
}

/** Letters FatturaPA's Latin-1 fields can't hold that don't decompose into a Latin letter plus accents. */
const LATIN_FALLBACK: Record<string, string> = {
  ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ħ: 'h', Ħ: 'H', ı: 'i', ŀ: 'l', Ŀ: 'L', œ: 'oe', Œ: 'OE', ß: 'ss',
  '„': '"', '“': '"', '”': '"', '‘': "'", '’': "'", '‚': "'", '–': '-', '—': '-', '…': '...', '€': 'EUR',
}

/**
 * Text in the Latin-1 repertoire FatturaPA's `String…LatinType` fields allow, at most `max`
 * characters: a Polish "Łódź" becomes "Lódz", "Żółć" "Zólc" (letters Latin-1 has, ó and the
 * Italian accents among them, stay), anything else becomes "?". XML 1.0's forbidden characters go first.
 */
export function latin1(text: string, max: number): string {
  let out = ''
  for (const ch of text.normalize('NFC').replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')) {
    if (ch.codePointAt(0)! <= 0xff) out += ch
    else if (LATIN_FALLBACK[ch]) out += LATIN_FALLBACK[ch]
    else {
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '')
      out += base && [...base].every((c) => c.codePointAt(0)! <= 0xff) ? base : '?'
    }
  }
  return [...out.replace(/\s+/g, ' ').trim()].slice(0, max).join('')
}

/** Text for a token field of at most `max` characters (FA(3)'s TZnakowy…): one line, trimmed, cut to length. */
export function token(text: string, max: number): string {
  return [...text.replace(/\s+/g, ' ').trim()].slice(0, max).join('')
}
