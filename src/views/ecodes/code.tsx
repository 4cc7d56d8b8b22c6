// Pages about one e-code (SPEC §9): confirming a disposal, personalizing the voucher, sending it by
// e-mail, and the refusals — a code that is no longer active (409), a person without permission (403).
import type { FormState } from '../../forms/validate'
import { formatDate, type Language, type MessageKey, type Translate } from '../../i18n'
import type { Localized } from '../../db/schema'
import { Checkbox, Field, FormErrors } from '../components/form'
import { PostForm } from '../components/post-form'
import { Grouped } from '../components/grouped'

export type CodeFacts = { id: string; printed: string; productName: string; variantName: Localized; expiresAt: Date; recipientName: string | null; message: string | null }
type Common = { t: Translate; lang: Language; slug: string; timeZone: string; code: CodeFacts }

function Facts({ t, lang, timeZone, code }: Common) {
  return (
    <dl class="facts">
      <dt>{t('ecodes.col.code')}</dt>
      <dd>
        <Grouped class="key big" value={code.printed} />
      </dd>
      <dt>{t('ecodes.col.product')}</dt>
      <dd>
        {code.productName} – {code.variantName[lang]}
      </dd>
      <dt>{t('ecodes.col.expires')}</dt>
      <dd>{formatDate(lang, code.expiresAt, timeZone)}</dd>
      {code.recipientName && (
        <>
          <dt>{t('ecodes.field.recipientName')}</dt>
          <dd>{code.recipientName}</dd>
        </>
      )}
    </dl>
  )
}

const back = (t: Translate, slug: string) => (
  <p>
    <a href={`/o/${slug}/ecodes`}>{t('ecodes.back')}</a>
  </p>
)

export function DisposalView(p: Common & { form: FormState }) {
  const { t, slug, code, form } = p
  return (
    <section class="card narrow stack">
      <h1>{t('ecodes.disposal.title')}</h1>
      <Facts {...p} />
      <p>{t('ecodes.disposal.explain')}</p>
      <FormErrors t={t} form={form} />
      <PostForm action={`/o/${slug}/ecodes/${code.id}/disposal`} class="stack">
        <Checkbox t={t} form={form} name="confirm" label={t('ecodes.disposal.confirm', { code: code.printed })} required />
        <div class="actions">
          <button type="submit" class="btn btn-danger">
            {t('ecodes.disposal.submit')}
          </button>
          <a class="btn btn-secondary" href={`/o/${slug}/ecodes`}>
            {t('common.cancel')}
          </a>
        </div>
      </PostForm>
    </section>
  )
}

export function PersonalizationView(p: Common & { form: FormState }) {
  const { t, slug, code, form } = p
  const at = `/o/${slug}/ecodes/${code.id}`
  return (
    <section class="card narrow stack">
      <h1>{t('ecodes.personalization.title')}</h1>
      <Facts {...p} />
      <p>{t('ecodes.personalization.explain')}</p>
      <FormErrors t={t} form={form} />
      <PostForm action={`${at}/personalization`} class="stack">
        <Field t={t} form={form} name="recipientName" label={t('ecodes.field.recipientName')} maxlength={100} autocomplete="off" />
        <MessageField t={t} form={form} />
        <button type="submit" class="btn">
          {t('ecodes.personalization.submit')}
        </button>
      </PostForm>
      <p class="actions">
        <a href={`${at}/voucher.pdf`}>{t('ecodes.action.voucher')}</a>
        <a href={`${at}/sendings/new`}>{t('ecodes.action.send')}</a>
      </p>
      {back(t, slug)}
    </section>
  )
}

export function SendView(p: Common & { form: FormState }) {
  const { t, slug, code, form } = p
  return (
    <section class="card narrow stack">
      <h1>{t('ecodes.sending.title')}</h1>
      <Facts {...p} />
      <p>{t('ecodes.sending.explain')}</p>
      <FormErrors t={t} form={form} />
      <PostForm action={`/o/${slug}/ecodes/${code.id}/sendings`} class="stack">
        <Field t={t} form={form} name="recipientName" label={t('ecodes.field.recipientName')} maxlength={100} required autocomplete="off" />
        <Field t={t} form={form} name="email" label={t('ecodes.field.email')} type="email" maxlength={254} required autocomplete="off" />
        <MessageField t={t} form={form} />
        <button type="submit" class="btn">
          {t('ecodes.sending.submit')}
        </button>
      </PostForm>
      {back(t, slug)}
    </section>
  )
}

function MessageField({ t, form }: { t: Translate; form: FormState }) {
  const error = form.errors.message
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for="f-message">{t('ecodes.field.message')}</label>
      <p class="hint" id="f-message-hint">
        {t('ecodes.field.messageHint')}
      </p>
      <textarea id="f-message" name="message" rows={4} maxlength={500} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'f-message-hint f-message-error' : 'f-message-hint'}>
        {form.values.message ?? ''}
      </textarea>
      {error && (
        <p class="error" id="f-message-error">
          {t(error)}
        </p>
      )}
    </div>
  )
}

/** 409: the code is used, expired or disposed, so this can't be done to it any more. */
export function RefusedView({ t, slug, reason }: { t: Translate; slug: string; reason: 'used' | 'expired' | 'disposed' }) {
  const messages: Record<typeof reason, MessageKey> = { used: 'ecodes.refused.used', expired: 'ecodes.refused.expired', disposed: 'ecodes.refused.disposed' }
  return (
    <section class="card narrow">
      <h1>{t('ecodes.refused.title')}</h1>
      <p>{t(messages[reason])}</p>
      {back(t, slug)}
    </section>
  )
}

/** 403: a member without permission on the product. */
export function NoPermissionView({ t }: { t: Translate }) {
  return (
    <section class="card narrow">
      <h1>{t('ecodes.forbidden.title')}</h1>
      <p>{t('ecodes.forbidden.body')}</p>
    </section>
  )
}
