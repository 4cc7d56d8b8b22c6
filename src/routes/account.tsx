// The account page (SPEC §1): profile, password, sessions, closing the account.
import { Hono } from 'hono'
import { parseForm, withoutSecrets, type FormState } from '../forms/validate'
import { ChangePasswordForm, CloseAccountForm, ProfileForm } from '../forms/account'
import { deleteSessionCookie } from '../auth/cookie'
import { changePassword, closeAccount, listSessions, signOutOtherSessions, updateProfile } from '../services/profile'
import { translator } from '../i18n'
import { userTimeZone } from '../domain/user-zone'
import { AccountView, PasswordSection, ProfileSection } from '../views/account/account'
import type { AppEnv } from './env'
import { type Ctx, pageOrFragment, page, seeOther, throttled } from './http'
import { requireUser } from './guards'

export const accountRoutes = new Hono<AppEnv>()
accountRoutes.use(requireUser)

type Extra = Partial<Pick<Parameters<typeof AccountView>[0], 'profile' | 'password' | 'close' | 'notice'>>

async function accountProps(c: Ctx, extra: Extra = {}) {
  const user = c.var.user!
  // Read with the session on GET /account (src/services/request-context.ts); after a change, again.
  const rows = c.req.method === 'GET' && c.var.userSessions ? c.var.userSessions : await listSessions(c.var.deps, user.id)
  return {
    t: c.var.t,
    lang: c.var.lang,
    user: { name: user.name, email: user.email, language: user.language },
    sessions: rows.map((s) => ({ ...s, current: s.id === c.var.session!.id })),
    timeZone: userTimeZone(
      c.var.orgs.map((o) => o.timeZone),
      user.language,
      c.var.deps.config.vendor.timeZone,
    ),
    ...extra,
  }
}

accountRoutes.get('/', async (c) => page(c, c.var.t('account.title'), <AccountView {...await accountProps(c)} />))

accountRoutes.post('/profile', async (c) => {
  const r = await parseForm(c, ProfileForm)
  if (!r.ok) {
    const props = await accountProps(c, { profile: r })
    return pageOrFragment(c, c.var.t('account.title'), <AccountView {...props} />, <ProfileSection {...props} />, 422)
  }
  await updateProfile(c.var.deps, c.var.user!.id, r.data)
  if (r.data.language !== c.var.lang) {
    // The whole page changes language, so even htmx gets a full page load.
    return seeOther(c, '/account', 'account.profile.saved')
  }
  const user = { ...c.var.user!, ...r.data }
  c.set('user', user)
  const props = await accountProps(c, { notice: { section: 'profile', text: translator(user.language)('account.profile.saved') } })
  return pageOrFragment(c, c.var.t('account.title'), <AccountView {...props} />, <ProfileSection {...props} />)
})

accountRoutes.post('/password', async (c) => {
  const { t } = c.var
  const r = await parseForm(c, ChangePasswordForm)
  const failed = async (password: FormState) => {
    const props = await accountProps(c, { password })
    return pageOrFragment(c, t('account.title'), <AccountView {...props} />, <PasswordSection {...props} />, 422)
  }
  if (!r.ok) return failed({ values: {}, errors: r.errors })
  const done = await changePassword(c.var.deps, c.var.user!, c.var.session!, r.data, c.var.now)
  if (!done.ok) {
    if (done.error === 'throttled') return throttled(c, done.retryAfterSeconds)
    return failed({ values: {}, errors: { currentPassword: 'field.currentPassword.wrong' } })
  }
  const props = await accountProps(c, { notice: { section: 'password', text: t('account.password.saved') } })
  return pageOrFragment(c, t('account.title'), <AccountView {...props} />, <PasswordSection {...props} />)
})

accountRoutes.post('/other-sessions/deletion', async (c) => {
  const count = await signOutOtherSessions(c.var.deps, c.var.user!.id, c.var.session!.id)
  return seeOther(c, '/account#sessions', 'account.sessions.signedOutOthers', { count })
})

accountRoutes.post('/closure', async (c) => {
  const { t } = c.var
  const r = await parseForm(c, CloseAccountForm)
  const failed = async (close: FormState) =>
    page(c, t('account.title'), <AccountView {...await accountProps(c, { close })} />, 422)
  if (!r.ok) return failed({ values: withoutSecrets(r.values), errors: r.errors })
  const done = await closeAccount(c.var.deps, c.var.user!, r.data.password, c.var.now)
  if (!done.ok) {
    if (done.error === 'throttled') return throttled(c, done.retryAfterSeconds)
    if (done.error === 'last_admin') {
      const props = await accountProps(c, { close: { values: {}, errors: {} }, notice: { section: 'close', text: t('account.close.lastAdmin', { org: done.org }) } })
      return page(c, t('account.title'), <AccountView {...props} />, 409)
    }
    return failed({ values: {}, errors: { password: 'field.currentPassword.wrong' } })
  }
  deleteSessionCookie(c, c.var.deps.config)
  return seeOther(c, '/login', 'account.close.done')
})
