// The operators' e-invoices (issue 18): invoices KSeF or SdI refused, with the reasons the system
// gave and a button to re-issue once corrected, and those still on their way with KSeF's deadline;
// for a Polish seller, the KSeF failures declared (emergency mode, ksef-failures.tsx).
import { formatDateTime, formatNumber, type Language, type Translate } from '../../i18n'
import { EINVOICE_STATES } from '../../db/schema'
import type { OpsAcceptedRow, OpsEInvoiceRow } from '../../services/einvoices'
import { OpsMenu } from './ops'
import { sendBy } from '../../einvoice/ksef/offline'
import type { KsefFailure } from '../../services/ksef-failures'
import { KsefFailures, POLISH_TIME, type FailureForms } from './ksef-failures'
import { Grouped } from '../components/grouped'

type Props = {
  t: Translate
  lang: Language
  system: string | null
  rows: OpsEInvoiceRow[]
  counts: Record<string, number>
  accepted: OpsAcceptedRow[]
  now: Date
  /** The declared KSeF failures and their forms; null for a seller outside Poland. */
  ksef: { failures: KsefFailure[]; forms: FailureForms } | null
}

export function EInvoicesView({ t, lang, system, rows, counts, accepted, now, ksef }: Props) {
  const failures = ksef?.failures ?? []
  return (
    <>
      <h1>{t('ops.einvoices')}</h1>
      <OpsMenu t={t} current="einvoices" />
      <p class="muted">{system ? t('ops.einvoices.intro', { system }) : t('ops.einvoices.off')}</p>
      <h2>{t('ops.einvoices.counts')}</h2>
      <dl class="facts">
        {EINVOICE_STATES.map((state) => (
          <>
            <dt>{t(`ops.einvoices.state.${state}`)}</dt>
            <dd>{formatNumber(lang, counts[state] ?? 0)}</dd>
          </>
        ))}
      </dl>
      <h2>{t('ops.einvoices.attention')}</h2>
      {rows.length === 0 ? (
        <p>{t('ops.einvoices.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards">
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
              {rows.map(({ submission: s, number, issuedAt, orgName }) => (
                <tr>
                  <td data-label={t('ops.einvoices.col.invoice')}>{number}</td>
                  <td data-label={t('ops.einvoices.col.org')}>{orgName ?? '—'}</td>
                  <td data-label={t('ops.einvoices.col.state')}>
                    {t(`ops.einvoices.state.${s.state}`)}
                    {s.state === 'offline' || (s.state === 'pending' && s.lastError) ? (
                      <div class="muted">{t('ops.einvoices.nextAttempt', { when: formatDateTime(lang, s.nextAttemptAt) })}</div>
                    ) : null}
                    {s.channel === 'ksef' && s.state !== 'rejected' ? <SendBy t={t} lang={lang} issuedAt={issuedAt} failures={failures} now={now} /> : null}
                  </td>
                  <td data-label={t('ops.einvoices.col.attempts')}>{formatNumber(lang, s.attempts)}</td>
                  <td data-label={t('ops.einvoices.col.why')}>
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
      {ksef && <KsefFailures t={t} lang={lang} failures={ksef.failures} forms={ksef.forms} />}
      <h2>{t('ops.einvoices.latest')}</h2>
      {accepted.length === 0 ? (
        <p>{t('ops.einvoices.noneAccepted')}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">{t('ops.einvoices.col.invoice')}</th>
                <th scope="col">{t('ops.einvoices.col.org')}</th>
                <th scope="col">{t('ops.einvoices.col.number')}</th>
                <th scope="col">{t('ops.einvoices.col.decided')}</th>
                <th scope="col">{t('ops.einvoices.col.receipt')}</th>
              </tr>
            </thead>
            <tbody>
              {accepted.map((a) => (
                <tr>
                  <td data-label={t('ops.einvoices.col.invoice')}>{a.number}</td>
                  <td data-label={t('ops.einvoices.col.org')}>{a.orgName ?? '—'}</td>
                  <td data-label={t('ops.einvoices.col.number')}>
                    {a.einvoiceNumber && <Grouped value={a.einvoiceNumber} />}
                  </td>
                  <td data-label={t('ops.einvoices.col.decided')}>{a.decidedAt ? formatDateTime(lang, a.decidedAt) : '—'}</td>
                  <td data-label={t('ops.einvoices.col.receipt')}>
                    {Number(a.hasReceipt) === 1 ? (
                      <a href={`/ops/einvoices/${a.invoiceId}/receipt`} download>
                        {t('ops.einvoices.receipt', { number: a.number })}
                      </a>
                    ) : (
                      '—'
                    )}
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

/**
 * KSeF's deadline for an invoice not in it yet (src/einvoice/ksef/offline.ts), marked once it passed:
 * the next working day, or 7 working days after the end of the declared failure it was issued during
 * (open while that failure lasts).
 */
function SendBy({ t, lang, issuedAt, failures, now }: { t: Translate; lang: Language; issuedAt: Date; failures: KsefFailure[]; now: Date }) {
  const deadline = sendBy(issuedAt, failures)
  if (!deadline.at) return <div class="muted">{t('ops.einvoices.sendByOpen')}</div>
  const when = formatDateTime(lang, deadline.at, POLISH_TIME)
  if (deadline.at <= now) return <div class="warning">{t('ops.einvoices.late', { when })}</div>
  return <div class="muted">{t(deadline.emergency ? 'ops.einvoices.sendByEmergency' : 'ops.einvoices.sendBy', { when })}</div>
}
