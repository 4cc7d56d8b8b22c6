// Form parsing shared by every route: one zod schema per form, whose issue messages are message
// keys, so the same schema parses the body and names the errors the view shows next to each field.
import type { Context } from 'hono'
import type { z } from 'zod'
import { isMessageKey, type MessageKey } from '../i18n'

export type FieldErrors = Partial<Record<string, MessageKey>>
export type FormValues = Record<string, string>
export type FormState = { values: FormValues; errors: FieldErrors }
export type FormResult<T> = { ok: true; data: T; values: FormValues } | { ok: false; values: FormValues; errors: FieldErrors }

/** Reads an urlencoded or multipart body into plain string values (files are ignored here). */
export async function readForm(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody()
  const values: FormValues = {}
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') values[k] = v
  return values
}

export function parseWith<S extends z.ZodType>(schema: S, values: FormValues): FormResult<z.output<S>> {
  const result = schema.safeParse(values)
  if (result.success) return { ok: true, data: result.data, values }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form')
    if (!errors[field]) errors[field] = isMessageKey(issue.message) ? issue.message : 'field.required'
  }
  return { ok: false, values, errors }
}

export async function parseForm<S extends z.ZodType>(c: Context, schema: S): Promise<FormResult<z.output<S>>> {
  return parseWith(schema, await readForm(c))
}

/** Values safe to echo back into a form: never passwords. */
export function withoutSecrets(values: FormValues): FormValues {
  const out: FormValues = {}
  for (const [k, v] of Object.entries(values)) if (!/password|code|token/i.test(k)) out[k] = v
  return out
}
