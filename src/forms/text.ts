// Free text that other people will read — names of people, companies, API keys and voucher
// recipients, addresses, reasons, messages — refuses invisible characters (issue 15): C0 and C1
// control characters (NUL, BEL, ESC…, DEL) and the bidi embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069), which make a name read differently from what it is, in the
// panel, in e-mail and in CSV files. One-line fields refuse line breaks too; multi-line ones (a
// voucher's message, a mistake report) keep them.
import { z } from 'zod'
import type { MessageKey } from '../i18n'

const CONTROL = '\\u0000-\\u001f\\u007f-\\u009f'
const BIDI = '\\u202a-\\u202e\\u2066-\\u2069'
const ONE_LINE_UNSAFE = new RegExp(`[${CONTROL}${BIDI}]`)
/** The same, except line feed and carriage return. */
const MULTI_LINE_UNSAFE = new RegExp(`[\\u0000-\\u0009\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${BIDI}]`)

/** The refinement for one-line text: no control characters (line breaks included), no bidi overrides. */
export const oneLine = <S extends z.ZodType<string>>(schema: S) =>
  schema.refine((v) => !ONE_LINE_UNSAFE.test(v), { message: 'field.text.control' satisfies MessageKey })

/** The refinement for multi-line text: line breaks allowed, other control characters and bidi overrides not. */
export const multiLine = <S extends z.ZodType<string>>(schema: S) =>
  schema.refine((v) => !MULTI_LINE_UNSAFE.test(v), { message: 'field.text.controlMultiline' satisfies MessageKey })
