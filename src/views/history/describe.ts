// History rows in words (SPEC §11, issue 16): the kind as a phrase (the filter menu, the CSV's Type),
// the row as a sentence naming people and things, who did it, and what it is about. Shared by the
// page and the CSV report.
import { isHistoryKind } from '../../domain/history-kinds'
import { isMessageKey, type Translate } from '../../i18n'
import { Facts, type HistoryRow, type Reader } from './facts'
import { SENTENCES } from './sentences'

export type { HistoryRow, Reader } from './facts'

/** The phrase for a kind ("member.added" → "Member added"); a kind without one shows as its code. */
export function describeKind(t: Translate, kind: string): string {
  const key = `history.kind.${kind}`
  return isMessageKey(key) ? t(key) : kind
}

const capitalized = (s: string, lang: string) => s.charAt(0).toLocaleUpperCase(lang) + s.slice(1)

/** A sentence that starts with the neutral word ("someone: …") starts with a capital; names and addresses stay as typed. */
const startCapitalized = (t: Translate, s: string, lang: string) => (s.startsWith(t('history.someone')) ? capitalized(s, lang) : s)

/**
 * The row as a sentence: "Kamil Zając: role changed from member to administrator". When its details
 * are gone (an erased org) or lack what the sentence needs, the kind's phrase, with the person it is
 * about for rows about a person ("Member removed: someone").
 */
export function describeEntry(reader: Reader, row: HistoryRow): string {
  const f = new Facts(reader, row)
  const sentence = isHistoryKind(row.kind) ? SENTENCES[row.kind](f) : null
  if (sentence) return startCapitalized(reader.t, sentence, reader.lang)
  const what = describeKind(reader.t, row.kind)
  return row.subjectType === 'user' ? reader.t('history.fallback', { what, person: f.person() }) : what
}

/** Who did it: the person as they were named then, the vendor's operator, the system or an API key; a neutral word once erased. */
export function describeActor(t: Translate, row: Pick<HistoryRow, 'actorType' | 'actorLabel'>, lang: string): string {
  if (row.actorType === 'system') return t('history.actor.system')
  if (!row.actorLabel) return capitalized(t('history.someone'), lang)
  if (row.actorType === 'operator') return t('history.actor.operator', { name: row.actorLabel })
  if (row.actorType === 'api_key') return t('history.actor.apiKey', { name: row.actorLabel })
  return row.actorLabel
}

/** What the row is about, by name (the CSV's Subject): a person, an order's number, a product, a code… */
export function describeSubject(reader: Reader, row: HistoryRow): string {
  const f = new Facts(reader, row)
  switch (row.subjectType) {
    case 'user':
      return f.person()
    case 'request':
    case 'statement':
      return f.text('name') || f.text('email') || f.text('user') ? f.person() : (f.text('file') ?? '')
    case 'order':
      return row.subjectName ?? f.text('number') ?? ''
    case 'api_key':
    case 'saved_method':
      return row.subjectName ?? f.text('name') ?? ''
    case 'ecode':
      return [f.text('code'), f.item()].filter(Boolean).join(' ')
    case 'licence':
      return f.text('licence') ?? f.item() ?? ''
    case 'org':
      return f.text('name') ?? ''
    default:
      return f.item() ?? ''
  }
}
