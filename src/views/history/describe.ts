// History rows in words (SPEC §11): the kind as a phrase in the reader's language, the details as
// "name: value" pairs rather than JSON. Shared by the page and the CSV report.
import { isMessageKey, type Translate } from '../../i18n'

/** The phrase for a kind ("member.added" → "Member added"); a kind without one shows as its code. */
export function describeKind(t: Translate, kind: string): string {
  const key = `history.kind.${kind}`
  return isMessageKey(key) ? t(key) : kind
}

function value(v: unknown): string {
  if (v === null || v === undefined || v === '') return '–'
  if (Array.isArray(v)) return v.map(value).join(', ')
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if ('from' in o && 'to' in o) return `${value(o.from)} → ${value(o.to)}`
    return Object.entries(o)
      .map(([k, x]) => `${k}: ${value(x)}`)
      .join(', ')
  }
  return String(v)
}

/** "product: Sekretariat · plan: Green · licence: KT-…" */
export function describeDetails(details: Record<string, unknown> | null | undefined): string {
  if (!details) return ''
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${value(v)}`)
    .join(' · ')
}
