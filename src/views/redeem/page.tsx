// The public redemption page /r/<code> (SPEC §9): phone first and lean — what the code is, whether
// it can still be used, and the one next step. Works without JavaScript.
import type { FormState } from '../../forms/validate'
import { formatDate, formatDateTime, type Language, type MessageKey, type Translate } from '../../i18n'
import { formatECode } from '../../domain/ecode'
import type { ECodeState, FoundECode } from '../../services/redemption'
import { ReportSection } from './report'
import { Grouped } from '../components/grouped'

type ReceivingOrg = { slug: string; name: string; readOnly: boolean }

type Props = {
  t: Translate
  lang: Language
  code: string
  ecode: FoundECode
  state: ECodeState
  /** Null for a visitor; for a signed-in user, the orgs that may receive the code (a read-only one can't now). */
  orgs: ReceivingOrg[] | null
  error?: MessageKey
  /** The report form: shown for an active, personalized code. */
  report: FormState | null
}

export function RedeemView({ t, lang, code, ecode, state, orgs, error, report }: Props) {
  const zone = ecode.issuer.timeZone
  const date = (d: Date | null) => (d ? formatDate(lang, d, zone) : '')
  return (
    <>
      <section class="card narrow stack" aria-labelledby="code-h">
        <h1 id="code-h">{t('redeem.title')}</h1>
        <p>
          <Grouped class="key big" value={formatECode(code)} />
        </p>
        <dl class="facts">
          <dt>{t('redeem.product')}</dt>
          <dd>
            {ecode.productName}, {ecode.variantName[lang]}
          </dd>
          <dt>{t('redeem.issuer')}</dt>
          <dd>{ecode.issuer.name}</dd>
          <dt>{t('redeem.useBy')}</dt>
          <dd>{date(ecode.expiresAt)}</dd>
          {ecode.recipientName && (
            <>
              <dt>{t('redeem.for')}</dt>
              <dd>{ecode.recipientName}</dd>
            </>
          )}
          {ecode.message && (
            <>
              <dt>{t('redeem.message')}</dt>
              <dd>{ecode.message}</dd>
            </>
          )}
        </dl>
        {state === 'active' ? (
          <>
            <p class="notice">{t('redeem.state.active')}</p>
            {orgs ? <ChooseOrg t={t} code={code} orgs={orgs} error={error} /> : <SignIn t={t} code={code} />}
          </>
        ) : (
          <p class="alert" role="alert">
            {t(`redeem.state.${state}`, { date: state === 'used' ? (ecode.usedAt ? formatDateTime(lang, ecode.usedAt, zone) : '') : date(ecode.expiresAt) })}
          </p>
        )}
      </section>
      {report && <ReportSection t={t} code={code} form={report} />}
    </>
  )
}

function SignIn({ t, code }: { t: Translate; code: string }) {
  return (
    <form method="post" action={`/r/${code}/redemption`} class="stack">
      <p>{t('redeem.signIn')}</p>
      <button type="submit" class="btn">
        {t('redeem.button')}
      </button>
    </form>
  )
}

function ChooseOrg({ t, code, orgs, error }: { t: Translate; code: string; orgs: ReceivingOrg[]; error?: MessageKey }) {
  // The first org that can receive is chosen; a read-only one is shown, greyed, saying why it can't.
  const first = orgs.find((o) => !o.readOnly)
  return (
    <form method="post" action={`/r/${code}/redemption`} class="stack">
      <fieldset class={error ? 'choices has-error' : 'choices'} aria-describedby="org-hint">
        <legend>{t('redeem.chooseOrg')}</legend>
        <p class="hint" id="org-hint">
          {t('redeem.chooseOrgHint')}
        </p>
        {orgs.map((o) => (
          <label class="choice">
            <input type="radio" name="org" value={o.slug} checked={o === first} disabled={o.readOnly} required />
            <span>
              {o.name}
              {o.readOnly && <small class="hint">{t('redeem.readOnlyOrg')}</small>}
            </span>
          </label>
        ))}
        <label class="choice">
          <input type="radio" name="org" value="new" checked={!first} required />
          <span>{t('redeem.newOrg')}</span>
        </label>
      </fieldset>
      {error && (
        <p class="error" role="alert">
          {t(error)}
        </p>
      )}
      <button type="submit" class="btn">
        {t('redeem.confirm')}
      </button>
    </form>
  )
}

/** The answer for an unknown or malformed code, with a box to type it again. */
export function CodeNotFoundView({ t }: { t: Translate }) {
  return (
    <section class="card narrow stack">
      <h1>{t('redeem.notFound.title')}</h1>
      <p role="alert">{t('redeem.notFound.body')}</p>
      <EnterCode t={t} />
    </section>
  )
}

/** /r without a code: where to type one. */
export function EnterCodeView({ t }: { t: Translate }) {
  return (
    <section class="card narrow stack">
      <h1>{t('redeem.enter.title')}</h1>
      <EnterCode t={t} />
    </section>
  )
}

function EnterCode({ t }: { t: Translate }) {
  return (
    <form method="get" action="/r" class="stack">
      <div class="field">
        <label for="f-code">{t('redeem.enter.label')}</label>
        <p class="hint" id="f-code-hint">
          {t('redeem.enter.hint')}
        </p>
        <input id="f-code" name="code" type="text" autocomplete="off" autocapitalize="characters" maxlength={40} required aria-describedby="f-code-hint" />
      </div>
      <button type="submit" class="btn">
        {t('redeem.enter.button')}
      </button>
    </form>
  )
}
