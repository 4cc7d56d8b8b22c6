// Registration, activation and "send the activation e-mail again" (SPEC §1).
import type { FormState } from '../../forms/validate'
import { LANGUAGES, LANGUAGE_NAMES, type Translate } from '../../i18n'
import { Checkbox, Field, FormErrors, Select } from '../components/form'

export function RegisterView({ t, form }: { t: Translate; form: FormState }) {
  return (
    <section class="card narrow">
      <h1>{t('register.title')}</h1>
      <p class="lead">{t('register.intro')}</p>
      <FormErrors t={t} form={form} />
      <form method="post" action="/register" novalidate>
        <Field t={t} form={form} name="name" label={t('register.name')} autocomplete="name" required maxlength={100} />
        <Field t={t} form={form} name="email" label={t('register.email')} type="email" autocomplete="email" required />
        <Field
          t={t}
          form={form}
          name="password"
          label={t('register.password')}
          type="password"
          autocomplete="new-password"
          hint={t('register.passwordHint')}
          required
        />
        <Select
          t={t}
          form={form}
          name="language"
          label={t('register.language')}
          options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        />
        <Checkbox t={t} form={form} name="terms" label={t('register.terms')} required />
        <Checkbox t={t} form={form} name="privacy" label={t('register.privacy')} required />
        <Checkbox t={t} form={form} name="marketing" label={t('register.marketing')} />
        <button type="submit" class="btn">
          {t('register.submit')}
        </button>
      </form>
      <p>
        {t('register.haveAccount')} <a href="/login">{t('nav.signIn')}</a>
      </p>
    </section>
  )
}

export function CheckInboxView({ t, email }: { t: Translate; email: string }) {
  return (
    <section class="card narrow">
      <h1>{t('register.done.title')}</h1>
      <p>{t('register.done.body', { email })}</p>
      <p class="muted">{t('register.done.noMail')}</p>
      <ResendForm t={t} email={email} />
    </section>
  )
}

export function ResendForm({ t, email, form }: { t: Translate; email?: string; form?: FormState }) {
  const state = form ?? { values: { email: email ?? '' }, errors: {} }
  return (
    <form method="post" action="/activation/resend" class="inline-form" novalidate>
      <Field t={t} form={state} name="email" id="f-resend-email" label={t('common.email')} type="email" autocomplete="email" required />
      <button type="submit" class="btn btn-secondary">
        {t('resend.submit')}
      </button>
    </form>
  )
}

export function ResendView({ t, form, done }: { t: Translate; form: FormState; done?: boolean }) {
  return (
    <section class="card narrow">
      <h1>{t('resend.title')}</h1>
      {done && (
        <p class="notice" role="status">
          {t('resend.done')}
        </p>
      )}
      <FormErrors t={t} form={form} />
      <ResendForm t={t} form={form} />
    </section>
  )
}

export function ActivateView({ t, token, email }: { t: Translate; token: string; email: string }) {
  return (
    <section class="card narrow">
      <h1>{t('activate.title')}</h1>
      <p>{t('activate.body', { email })}</p>
      <form method="post" action={`/activate/${token}`}>
        <button type="submit" class="btn">
          {t('activate.submit')}
        </button>
      </form>
    </section>
  )
}

export function ActivateInvalidView({ t }: { t: Translate }) {
  return (
    <section class="card narrow">
      <h1>{t('activate.invalid.title')}</h1>
      <p>{t('activate.invalid.body')}</p>
      <ResendForm t={t} />
    </section>
  )
}
