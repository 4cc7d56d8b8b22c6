// Friendly error pages: 400 (an unreadable form), 404, 403 (CSRF), 413, 429 (throttled) and 500 with the request id.
import type { Translate } from '../i18n'

export function NotFoundView({ t }: { t: Translate }) {
  return (
    <section class="card narrow">
      <h1>{t('error.notFound.title')}</h1>
      <p>{t('error.notFound.body')}</p>
      <a class="btn" href="/">
        {t('error.home')}
      </a>
    </section>
  )
}

export function ForbiddenView({ t }: { t: Translate }) {
  return (
    <section class="card narrow">
      <h1>{t('error.forbidden.title')}</h1>
      <p>{t('error.forbidden.body')}</p>
      <a class="btn" href="/">
        {t('error.home')}
      </a>
    </section>
  )
}

export function TooLargeView({ t }: { t: Translate }) {
  return (
    <section class="card narrow">
      <h1>{t('error.tooLarge.title')}</h1>
      <p>{t('error.tooLarge.body')}</p>
    </section>
  )
}

export function ThrottledView({ t, retryAfterSeconds }: { t: Translate; retryAfterSeconds: number }) {
  return (
    <section class="card narrow">
      <h1>{t('error.throttled.title')}</h1>
      <p>{t('error.throttled.body', { count: Math.max(1, Math.ceil(retryAfterSeconds / 60)) })}</p>
    </section>
  )
}

export function ServerErrorView({ t, requestId }: { t: Translate; requestId: string }) {
  return (
    <section class="card narrow">
      <h1>{t('error.server.title')}</h1>
      <p>{t('error.server.body')}</p>
      <p>
        <code class="key">{requestId}</code>
      </p>
      <a class="btn" href="/">
        {t('error.home')}
      </a>
    </section>
  )
}

export function ForbiddenRoleView({ t }: { t: Translate }) {
  return (
    <section class="card narrow">
      <h1>{t('error.adminOnly.title')}</h1>
      <p>{t('error.adminOnly.body')}</p>
    </section>
  )
}

export function BadRequestView({ t }: { t: Translate }) {
  return (
    <section class="card narrow">
      <h1>{t('error.badRequest.title')}</h1>
      <p>{t('error.badRequest.body')}</p>
      <a class="btn" href="/">
        {t('error.home')}
      </a>
    </section>
  )
}
