// The checkout's frame (SPEC §7): the four steps with the current one marked, and step 2 for
// visitors — sign in or create an account; the cart waits in a cookie meanwhile.
import type { Child } from 'hono/jsx'
import type { Translate } from '../../i18n'

const STEPS = ['checkout.step.choose', 'checkout.step.account', 'checkout.step.billing', 'checkout.step.summary'] as const

export function CheckoutFrame({ t, step, children }: { t: Translate; step: 1 | 2 | 3 | 4; children: Child }) {
  return (
    <section class="card checkout">
      <h1>{t('checkout.title')}</h1>
      <ol class="steps" aria-label={t('checkout.steps')}>
        {STEPS.map((key, i) => (
          <li aria-current={i + 1 === step ? 'step' : undefined} class={i + 1 < step ? 'done' : undefined}>
            {t(key)}
          </li>
        ))}
      </ol>
      {children}
    </section>
  )
}

export function AccountStepView({ t }: { t: Translate }) {
  return (
    <CheckoutFrame t={t} step={2}>
      <h2>{t('checkout.account.title')}</h2>
      <p class="lead">{t('checkout.account.body')}</p>
      <p class="actions">
        <a class="btn" href="/login">
          {t('nav.signIn')}
        </a>
        <a class="btn btn-secondary" href="/register">
          {t('nav.register')}
        </a>
      </p>
    </CheckoutFrame>
  )
}
