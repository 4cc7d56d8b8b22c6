// The account page (SPEC §1): profile, password, active sessions, close account. Each section is
// its own form; with htmx a section re-renders in place, without it the whole page does.
import type { FormState } from '../../forms/validate'
import { formatDateTime, LANGUAGES, LANGUAGE_NAMES, type Language, type Translate } from '../../i18n'
import { Field, FormErrors, Select } from '../components/form'

export type SessionRow = {
  id: string
  userAgent: string
  createdAt: Date
  lastSeenAt: Date
  remember: boolean
  current: boolean
}

type Props = {
  t: Translate
  lang: Language
  user: { name: string; email: string; language: Language }
  sessions: SessionRow[]
  /** The zone times are shown in: the user's organizations' (src/domain/user-zone.ts). */
  timeZone: string
  profile?: FormState
  password?: FormState
  close?: FormState
  notice?: { section: 'profile' | 'password' | 'sessions' | 'close'; text: string }
}

export function AccountView(p: Props) {
  const { t } = p
  return (
    <>
      <h1>{t('account.title')}</h1>
      <div class="stack">
        <ProfileSection {...p} />
        <PasswordSection {...p} />
        <SessionsSection {...p} />
        <CloseSection {...p} />
      </div>
    </>
  )
}

const empty: FormState = { values: {}, errors: {} }

function Notice({ p, section }: { p: Props; section: string }) {
  return p.notice?.section === section ? (
    <p class="notice" role="status">
      {p.notice.text}
    </p>
  ) : null
}

export function ProfileSection(p: Props) {
  const { t } = p
  const form = p.profile ?? { values: { name: p.user.name, language: p.user.language }, errors: {} }
  return (
    <section class="card" id="profile" aria-labelledby="profile-h">
      <h2 id="profile-h">{t('account.profile')}</h2>
      <Notice p={p} section="profile" />
      <FormErrors t={t} form={form} />
      <p>
        {t('account.email')}: <strong>{p.user.email}</strong>
      </p>
      <form method="post" action="/account/profile" hx-post="/account/profile" hx-target="#profile" hx-swap="outerHTML" novalidate>
        <Field t={t} form={form} name="name" label={t('account.name')} autocomplete="name" required maxlength={100} />
        <Select
          t={t}
          form={form}
          name="language"
          label={t('account.language')}
          options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        />
        <button type="submit" class="btn">
          {t('common.save')}
        </button>
      </form>
    </section>
  )
}

export function PasswordSection(p: Props) {
  const { t } = p
  const form = p.password ?? empty
  return (
    <section class="card" id="password" aria-labelledby="password-h">
      <h2 id="password-h">{t('account.password')}</h2>
      <Notice p={p} section="password" />
      <FormErrors t={t} form={form} />
      <form method="post" action="/account/password" hx-post="/account/password" hx-target="#password" hx-swap="outerHTML" novalidate>
        <Field
          t={t}
          form={form}
          name="currentPassword"
          label={t('account.password.current')}
          type="password"
          autocomplete="current-password"
          required
        />
        <Field
          t={t}
          form={form}
          name="password"
          label={t('account.password.new')}
          type="password"
          autocomplete="new-password"
          hint={t('register.passwordHint')}
          required
        />
        <button type="submit" class="btn">
          {t('account.password.submit')}
        </button>
      </form>
    </section>
  )
}

export function SessionsSection(p: Props) {
  const { t, lang } = p
  const others = p.sessions.filter((s) => !s.current).length
  return (
    <section class="card" id="sessions" aria-labelledby="sessions-h">
      <h2 id="sessions-h">{t('account.sessions')}</h2>
      <Notice p={p} section="sessions" />
      <p class="muted">
        {t('account.sessions.count', { count: p.sessions.length })} {t('account.timesIn', { zone: p.timeZone })}
      </p>
      <ul class="list">
        {p.sessions.map((s) => (
          <li>
            <strong>{describeAgent(s.userAgent)}</strong>
            {s.current && <span class="tag">{t('account.sessions.current')}</span>}
            {s.remember && <span class="tag tag-quiet">{t('account.sessions.remembered')}</span>}
            <br />
            <span class="muted">
              {t('account.sessions.started', { date: formatDateTime(lang, s.createdAt, p.timeZone) })},{' '}
              {t('account.sessions.lastSeen', { date: formatDateTime(lang, s.lastSeenAt, p.timeZone) })}
            </span>
          </li>
        ))}
      </ul>
      {others > 0 && (
        <form method="post" action="/account/other-sessions/deletion">
          <button type="submit" class="btn btn-secondary">
            {t('account.sessions.signOutOthers')}
          </button>
        </form>
      )}
    </section>
  )
}

export function CloseSection(p: Props) {
  const { t } = p
  const form = p.close ?? empty
  return (
    <section class="card danger" id="close" aria-labelledby="close-h">
      <h2 id="close-h">{t('account.close')}</h2>
      <p>{t('account.close.intro')}</p>
      {p.notice?.section === 'close' && (
        <p class="alert" role="alert">
          {p.notice.text}
        </p>
      )}
      <FormErrors t={t} form={form} />
      <form method="post" action="/account/closure" novalidate>
        <Field
          t={t}
          form={form}
          name="password"
          id="f-close-password"
          label={t('account.close.password')}
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit" class="btn btn-danger">
          {t('account.close.submit')}
        </button>
      </form>
    </section>
  )
}

/** A short, human name for a browser from its User-Agent ("Firefox on Windows"). */
export function describeAgent(ua: string): string {
  if (!ua) return 'Unknown device'
  const browser =
    /Edg\//.test(ua) ? 'Edge' : /OPR\//.test(ua) ? 'Opera' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null
  if (browser && os) return `${browser} · ${os}`
  return browser ?? os ?? ua.slice(0, 60)
}
