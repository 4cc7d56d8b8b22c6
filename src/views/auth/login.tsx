// Sign-in, the operators' second step, and password reset (SPEC §1, §15).
import type { FormState } from '../../forms/validate'
import type { Translate } from '../../i18n'
import { Checkbox, Field, FormErrors } from '../components/form'
import { ResendForm } from './register'

export function LoginView({ t, form, notActivated }: { t: Translate; form: FormState; notActivated?: boolean }) {
  return (
    <section class="card narrow">
      <h1>{t('login.title')}</h1>
      {notActivated ? (
        <div class="alert" role="alert">
          <p>{t('login.notActivated')}</p>
          <ResendForm t={t} email={form.values.email} />
        </div>
      ) : (
        <FormErrors t={t} form={form} />
      )}
      <form method="post" action="/login" novalidate>
        <Field t={t} form={form} name="email" label={t('common.email')} type="email" autocomplete="username" required />
        <Field
          t={t}
          form={form}
          name="password"
          label={t('common.password')}
          type="password"
          autocomplete="current-password"
          required
        />
        <Checkbox t={t} form={form} name="remember" label={t('login.remember')} />
        <button type="submit" class="btn">
          {t('login.submit')}
        </button>
      </form>
      <p>
        <a href="/password/forgot">{t('login.forgot')}</a>
      </p>
      <p>
        {t('login.noAccount')} <a href="/register">{t('nav.register')}</a>
      </p>
    </section>
  )
}

export function TwoFactorView({ t, form }: { t: Translate; form: FormState }) {
  return (
    <section class="card narrow">
      <h1>{t('twoFactor.title')}</h1>
      <p>{t('twoFactor.intro')}</p>
      <FormErrors t={t} form={form} />
      <form method="post" action="/login/2fa" novalidate>
        <Field t={t} form={form} name="code" label={t('twoFactor.code')} autocomplete="one-time-code" inputmode="numeric" required />
        <button type="submit" class="btn">
          {t('twoFactor.submit')}
        </button>
      </form>
    </section>
  )
}

export function TwoFactorSetupView(p: { t: Translate; form: FormState; qr: string; keyText: string; keyField: string }) {
  const { t, form } = p
  return (
    <section class="card narrow">
      <h1>{t('twoFactor.setup.title')}</h1>
      <p>{t('twoFactor.setup.intro')}</p>
      <img class="qr" src={p.qr} width={240} height={240} alt={t('twoFactor.setup.qrAlt')} />
      <p>
        {t('twoFactor.setup.key')}: <code class="key">{p.keyText}</code>
      </p>
      <FormErrors t={t} form={form} />
      <form method="post" action="/login/2fa/setup" novalidate>
        <input type="hidden" name="key" value={p.keyField} />
        <Field t={t} form={form} name="code" label={t('twoFactor.code')} autocomplete="one-time-code" inputmode="numeric" required />
        <button type="submit" class="btn">
          {t('twoFactor.setup.submit')}
        </button>
      </form>
    </section>
  )
}

export function RecoveryCodeView({ t, code }: { t: Translate; code: string }) {
  return (
    <section class="card narrow">
      <h1>{t('twoFactor.recovery.title')}</h1>
      <p>{t('twoFactor.recovery.body')}</p>
      <p>
        <code class="key big">{code}</code>
      </p>
      <a class="btn" href="/ops">
        {t('twoFactor.recovery.continue')}
      </a>
    </section>
  )
}

export function ForgotView({ t, form, done }: { t: Translate; form: FormState; done?: boolean }) {
  return (
    <section class="card narrow">
      <h1>{t('forgot.title')}</h1>
      {done ? (
        <p class="notice" role="status">
          {t('forgot.done')}
        </p>
      ) : (
        <p>{t('forgot.intro')}</p>
      )}
      <FormErrors t={t} form={form} />
      <form method="post" action="/password/forgot" novalidate>
        <Field t={t} form={form} name="email" label={t('common.email')} type="email" autocomplete="email" required />
        <button type="submit" class="btn">
          {t('forgot.submit')}
        </button>
      </form>
    </section>
  )
}

export function ResetView({ t, form, token }: { t: Translate; form: FormState; token: string }) {
  return (
    <section class="card narrow">
      <h1>{t('reset.title')}</h1>
      <FormErrors t={t} form={form} />
      <form method="post" action={`/password/reset/${token}`} novalidate>
        <Field
          t={t}
          form={form}
          name="password"
          label={t('reset.password')}
          type="password"
          autocomplete="new-password"
          hint={t('register.passwordHint')}
          required
        />
        <button type="submit" class="btn">
          {t('reset.submit')}
        </button>
      </form>
    </section>
  )
}

export function ResetInvalidView({ t }: { t: Translate }) {
  return (
    <section class="card narrow">
      <h1>{t('reset.invalid.title')}</h1>
      <p>{t('reset.invalid.body')}</p>
      <a class="btn" href="/password/forgot">
        {t('forgot.submit')}
      </a>
    </section>
  )
}
