// The operators' e-invoices (issue 18): invoices KSeF or SdI refused, with the reasons the system
// gave and a button to re-issue once corrected, and those still on their way.
import { formatDateTime, formatNumber, type Language, type Translate } from '../../i18n'
import type { OpsEInvoiceRow } from '../../services/einvoices'
import { OpsMenu } from './ops'

type Props = { t: Translate; lang: Language; system: string | null; rows: OpsEInvoiceRow[]; accepted: number }

export function EInvoicesView({ t, lang, system, rows, accepted }: Props) {
  return (
    <>
      <h1>{t('ops.einvoices')}</h1>
      <OpsMenu t={t} current="einvoices" />
      <p class="muted">{system ? t('ops.einvoices.intro', { system }) : t('ops.einvoices.off')}</p>
      <p>{t('ops.einvoices.accepted', { count: formatNumber(lang, accepted) })}</p>
      {rows.length === 0 ? (
        <p>{t('ops.einvoices.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ops.einvoices.col.invoice')}</th>
                <th scope="col">{t('ops.einvoices.col.org')}</th>
                <th scope="col">{t('ops.einvoices.col.state')}</th>
                <th scope="col">{t('ops.einvoices.col.attempts')}</th>
                <th scope="col">{t('ops.einvoices.col.why')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ submission: s, number, orgName }) => (
                <tr>
                  <td>{number}</td>
                  <td>{orgName ?? '—'}</td>
                  <td>
                    {t(`ops.einvoices.state.${s.state}`)}
                    {s.state === 'offline' || (s.state === 'pending' && s.lastError) ? (
                      <div class="muted">{t('ops.einvoices.nextAttempt', { when: formatDateTime(lang, s.nextAttemptAt) })}</div>
                    ) : null}
                  </td>
                  <td>{formatNumber(lang, s.attempts)}</td>
                  <td>
                    {s.reasons ? (
                      <ul>
                        {s.reasons.map((r) => (
                          <li>{r}</li>
                        ))}
                      </ul>
                    ) : (
                      (s.lastError ?? '')
                    )}
                    {s.state === 'rejected' ? (
                      <form method="post" action={`/ops/einvoices/${s.invoiceId}/reissue`}>
                        <p class="muted">{t('ops.einvoices.reissueHint')}</p>
                        <button type="submit">{t('ops.einvoices.reissue')}</button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
