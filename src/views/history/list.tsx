// An org's operation history (SPEC §11), newest first.
import { formatDateTime, type Language, type Translate } from '../../i18n'
import type { history } from '../../db/schema'

type Row = typeof history.$inferSelect

export function HistoryView({ t, lang, rows, timeZone }: { t: Translate; lang: Language; rows: Row[]; timeZone: string }) {
  return (
    <>
      <h1>{t('history.title')}</h1>
      {rows.length === 0 ? (
        <p>{t('history.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('history.col.when')}</th>
                <th scope="col">{t('history.col.who')}</th>
                <th scope="col">{t('history.col.what')}</th>
                <th scope="col">{t('history.col.details')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{formatDateTime(lang, r.at, timeZone)}</td>
                  <td>{r.actorLabel}</td>
                  <td>
                    <code>{r.kind}</code>
                  </td>
                  <td class="small">{r.details ? JSON.stringify(r.details) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
