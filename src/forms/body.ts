// Reading a form's body strictly (issue 15): a body that can't be read as the form it claims to be
// is refused whole (a 400), never guessed at. The platform's parsers are lenient where it hurts —
// invalid UTF-8 and bad percent-escapes turn into U+FFFD or pass through as typed, and a multipart
// envelope whose boundary is wrong throws — so urlencoded bodies are parsed here, and multipart
// ones by the platform with its replacement characters counted against the bytes sent.

/** The media types read as forms (the ones Hono's parseBody reads); everything else is left alone. */
export const FORM_MEDIA_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'] as const
export type FormMediaType = (typeof FORM_MEDIA_TYPES)[number]

export function formMediaType(contentType: string | undefined): FormMediaType | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  return (FORM_MEDIA_TYPES as readonly string[]).includes(type ?? '') ? (type as FormMediaType) : null
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
/** A `%` not followed by two hex digits: browsers always send `%25` for a typed percent sign. */
const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/

/**
 * application/x-www-form-urlencoded as the URL standard parses it (`&`-separated, `+` is a space),
 * except that what it would repair is refused: bytes that are not UTF-8, a bad `%` escape, and
 * escapes that decode to something that is not UTF-8. Null: refused.
 */
export function parseUrlencoded(bytes: Uint8Array): FormData | null {
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    return null
  }
  const form = new FormData()
  for (const piece of text.split('&')) {
    if (piece === '') continue
    const at = piece.indexOf('=')
    const name = decodeComponent(at === -1 ? piece : piece.slice(0, at))
    const value = decodeComponent(at === -1 ? '' : piece.slice(at + 1))
    if (name === null || value === null) return null
    form.append(name, value)
  }
  return form
}

function decodeComponent(raw: string): string | null {
  if (BAD_ESCAPE.test(raw)) return null
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    // URIError: the escapes spell bytes that are not UTF-8 (%FF, a cut-off sequence, a surrogate).
    return null
  }
}

const REPLACEMENT = 0xfffd
/** U+FFFD in UTF-8: the replacement characters a sender really sent. */
const REPLACEMENT_BYTES = [0xef, 0xbf, 0xbd]

function countReplacementBytes(bytes: Uint8Array): number {
  let n = 0
  for (let i = bytes.indexOf(REPLACEMENT_BYTES[0]!); i !== -1 && i + 2 < bytes.length; i = bytes.indexOf(REPLACEMENT_BYTES[0]!, i + 1)) {
    if (bytes[i + 1] === REPLACEMENT_BYTES[1] && bytes[i + 2] === REPLACEMENT_BYTES[2]) n++
  }
  return n
}

function countReplacements(text: string): number {
  let n = 0
  for (let i = text.indexOf(String.fromCharCode(REPLACEMENT)); i !== -1; i = text.indexOf(String.fromCharCode(REPLACEMENT), i + 1)) n++
  return n
}

/**
 * multipart/form-data through the platform's parser (files stay files). Refused: an envelope it
 * can't read (no boundary, the wrong one, cut off), and text fields or names holding more U+FFFD
 * than the body spelled out — the parser's stand-ins for bytes that were not UTF-8. Null: refused.
 */
export async function parseMultipart(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormData | null> {
  let form: FormData
  try {
    // The media type lower-cased, as Hono does: the platform's parser compares it exactly.
    const type = contentType.replace(/^[^;]+/, (t) => t.trim().toLowerCase())
    form = await new Response(bytes, { headers: { 'Content-Type': type } }).formData()
  } catch {
    return null
  }
  let replaced = 0
  form.forEach((value, name) => {
    replaced += countReplacements(name) + (typeof value === 'string' ? countReplacements(value) : countReplacements(value.name))
  })
  return replaced > countReplacementBytes(bytes) ? null : form
}

/** The body as the form it claims to be, or null when it can't be read as one. */
export function parseFormBody(bytes: Uint8Array<ArrayBuffer>, type: FormMediaType, contentType: string): Promise<FormData | null> | FormData | null {
  return type === 'multipart/form-data' ? parseMultipart(bytes, contentType) : parseUrlencoded(bytes)
}
