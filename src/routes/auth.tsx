// Registration, activation, sign-in and out, the operators' second step, and password reset (SPEC §1).
import { Hono } from 'hono'
import { toSvgDataURL } from 'lean-qr/extras/svg'
import { generate } from 'lean-qr'
import { parseForm, readForm, withoutSecrets, parseWith } from '../forms/validate'
import { EmailForm, LoginForm, RegisterForm, ResetForm, TwoFactorForm } from '../forms/account'
import { deleteSessionCookie, setSessionCookie } from '../auth/cookie'
import { invalidateSession } from '../auth/session'
import { displayKey, encodeKey, generateTotpKey, decodeKey, totpUri } from '../auth/totp'
import { hit, RULES } from '../db/throttle'
import {
  activateAccount,
  peekEmailToken,
  registerAccount,
  requestPasswordReset,
  resendActivation,
  resetPassword,
} from '../services/accounts'
import { enableSecondFactor, signIn, verifySecondFactor } from '../services/signin'
import { acceptInvitations, type WaitingInvitation } from '../services/members'
import { emptyForm } from '../views/components/form'
import { ActivateInvalidView, ActivateView, CheckInboxView, RegisterView, ResendView } from '../views/auth/register'
import {
  ForgotView,
  LoginView,
  RecoveryCodeView,
  ResetInvalidView,
  ResetView,
  TwoFactorSetupView,
  TwoFactorView,
} from '../views/auth/login'
import type { AppEnv } from './env'
import { clientIp, page, seeOther, throttled, type Ctx } from './http'
import { formatDate, type Language } from '../i18n'
import { readCart } from './cart'
import { redeemPath } from './redeem-cookie'
import { landingPath, readLastOrg } from './landing'
import { listUserOrgs } from '../services/orgs'

export const authRoutes = new Hono<AppEnv>()

authRoutes.get('/register', (c) => {
  if (c.var.user) return c.redirect(signedInHome(c), 303)
  // An invitation links here with the invited address filled in.
  const email = (c.req.query('email') ?? '').slice(0, 254)
  return page(c, c.var.t('register.title'), <RegisterView t={c.var.t} form={emptyForm({ language: c.var.lang, email })} />)
})

authRoutes.post('/register', async (c) => {
  const { t } = c.var
  const r = await parseForm(c, RegisterForm)
  if (!r.ok) return page(c, t('register.title'), <RegisterView t={t} form={{ ...r, values: withoutSecrets(r.values) }} />, 422)
  const throttle = await hit(c.var.deps.db, RULES.register, clientIp(c), c.var.now)
  if (!throttle.allowed) return throttled(c, throttle.retryAfterSeconds)
  await registerAccount(c.var.deps, r.data, c.var.now)
  return page(c, t('register.done.title'), <CheckInboxView t={t} email={r.data.email} />)
})

authRoutes.get('/activation/resend', (c) => page(c, c.var.t('resend.title'), <ResendView t={c.var.t} form={emptyForm()} />))

authRoutes.post('/activation/resend', async (c) => {
  const { t } = c.var
  const r = await parseForm(c, EmailForm)
  if (!r.ok) return page(c, t('resend.title'), <ResendView t={t} form={r} />, 422)
  const sent = await resendActivation(c.var.deps, r.data.email, c.var.now)
  if (!sent.allowed) return throttled(c, sent.retryAfterSeconds)
  return page(c, t('resend.title'), <ResendView t={t} form={emptyForm({ email: r.data.email })} done />)
})

// The link in the e-mail shows a confirmation button rather than activating on GET, so that mail
// scanners that open links don't use it up.
authRoutes.get('/activate/:token', async (c) => {
  const { t } = c.var
  const token = c.req.param('token')
  const link = await peekEmailToken(c.var.deps, token, 'activation', c.var.now)
  if (!link) return page(c, t('activate.invalid.title'), <ActivateInvalidView t={t} />, 404)
  return page(c, t('activate.title'), <ActivateView t={t} token={token} email={link.email} />)
})

authRoutes.post('/activate/:token', async (c) => {
  const r = await activateAccount(c.var.deps, c.req.param('token'), c.var.now)
  if (!r.ok) return page(c, c.var.t('activate.invalid.title'), <ActivateInvalidView t={c.var.t} />, 404)
  return seeOther(c, '/login', 'activate.done')
})

authRoutes.get('/login', (c) => {
  if (c.var.user) return c.redirect(signedInHome(c), 303)
  return page(c, c.var.t('login.title'), <LoginView t={c.var.t} form={emptyForm()} />)
})

authRoutes.post('/login', async (c) => {
  const { t, deps } = c.var
  const r = await parseForm(c, LoginForm)
  if (!r.ok) return page(c, t('login.title'), <LoginView t={t} form={{ ...r, values: withoutSecrets(r.values) }} />, 422)
  const result = await signIn(deps, r.data, { ip: clientIp(c), userAgent: c.req.header('User-Agent') ?? '' }, c.var.now)
  const values = withoutSecrets(r.values)
  if (!result.ok) {
    if (result.error === 'throttled') return throttled(c, result.retryAfterSeconds)
    if (result.error === 'not_activated') return page(c, t('login.title'), <LoginView t={t} form={{ values, errors: {} }} notActivated />, 403)
    return page(c, t('login.title'), <LoginView t={t} form={{ values, errors: { _form: 'login.failed' } }} />, 401)
  }
  // Replace whatever session the browser had before.
  if (c.var.session) await invalidateSession(deps.db, c.var.session.id)
  setSessionCookie(c, deps.config, result.token, result.session)
  if (result.user.isOperator) return seeOther(c, result.user.totpKey ? '/login/2fa' : '/login/2fa/setup')
  // Invitations to this address are accepted now that the owner has proven it (SPEC §2).
  // One that found every seat taken stays open, and the invitee is told why (src/services/seats.ts).
  const { waiting } = await acceptInvitations(deps, result.user, c.var.now)
  const notice = waiting[0] && invitationWaiting(waiting[0], result.user.language)
  // A cart chosen before signing in (or registering) continues the checkout (SPEC §7); an e-code
  // being redeemed, its redemption (SPEC §9); otherwise the person's start page (src/routes/landing.ts).
  const next = readCart(c) ? '/checkout' : redeemPath(c)
  return seeOther(c, next ?? landingPath(await listUserOrgs(deps, result.user.id), readLastOrg(c)), notice?.key, notice?.params)
})

/** Someone already signed in who opens the sign-in or registration page goes to their start page. */
const signedInHome = (c: Ctx) => landingPath(c.var.orgs, readLastOrg(c), { operator: c.var.user?.isOperator })

authRoutes.post('/logout', async (c) => {
  const session = c.var.session ?? c.var.pendingTwoFactor?.session
  if (session) await invalidateSession(c.var.deps.db, session.id)
  deleteSessionCookie(c, c.var.deps.config)
  return seeOther(c, '/login', 'login.signedOut')
})

// The operator's second step. Only reachable with a session that has passed the password.
authRoutes.get('/login/2fa', (c) => {
  const pending = c.var.pendingTwoFactor
  if (!pending) return c.redirect('/login', 303)
  if (!pending.user.totpKey) return c.redirect('/login/2fa/setup', 303)
  return page(c, c.var.t('twoFactor.title'), <TwoFactorView t={c.var.t} form={emptyForm()} />)
})

authRoutes.post('/login/2fa', async (c) => {
  const { t } = c.var
  const pending = c.var.pendingTwoFactor
  if (!pending) return c.redirect('/login', 303)
  const r = await parseForm(c, TwoFactorForm)
  const invalid = { values: {}, errors: { code: 'field.code.invalid' as const } }
  if (!r.ok) return page(c, t('twoFactor.title'), <TwoFactorView t={t} form={invalid} />, 422)
  // Real time, not the test clock's: the operator's authenticator app counts real time.
  const v = await verifySecondFactor(c.var.deps, pending.user, pending.session, r.data.code, c.var.deps.clock.now())
  if (!v.ok) {
    if (v.error === 'throttled') return throttled(c, v.retryAfterSeconds)
    return page(c, t('twoFactor.title'), <TwoFactorView t={t} form={invalid} />, 422)
  }
  return seeOther(c, '/ops')
})

function setupPage(c: Ctx, keyBase64: string, status: 200 | 422) {
  const pending = c.var.pendingTwoFactor!
  const key = decodeKey(keyBase64)
  const uri = totpUri(c.var.deps.config.vendorName, pending.user.email, key)
  const qr = toSvgDataURL(generate(uri), { on: '#000', off: '#fff', pad: 2, width: 240, height: 240 })
  const form = status === 422 ? { values: {}, errors: { code: 'field.code.invalid' as const } } : emptyForm()
  return page(
    c,
    c.var.t('twoFactor.setup.title'),
    <TwoFactorSetupView t={c.var.t} form={form} qr={qr} keyText={displayKey(key)} keyField={keyBase64} />,
    status,
  )
}

authRoutes.get('/login/2fa/setup', (c) => {
  const pending = c.var.pendingTwoFactor
  if (!pending) return c.redirect('/login', 303)
  if (pending.user.totpKey) return c.redirect('/login/2fa', 303)
  return setupPage(c, encodeKey(generateTotpKey()), 200)
})

authRoutes.post('/login/2fa/setup', async (c) => {
  const pending = c.var.pendingTwoFactor
  if (!pending) return c.redirect('/login', 303)
  const values = await readForm(c)
  const key = values.key ?? ''
  const r = parseWith(TwoFactorForm, values)
  // Real time, as at /login/2fa: the authenticator app knows nothing of the test clock.
  const result = r.ok ? await enableSecondFactor(c.var.deps, pending.user, pending.session, key, r.data.code, c.var.deps.clock.now()) : null
  if (result && !result.ok && result.error === 'throttled') return throttled(c, result.retryAfterSeconds)
  if (!result || !result.ok || !('recoveryCode' in result)) {
    // A key that does not decode is replaced by a fresh one rather than echoed back.
    let usable = true
    try {
      usable = decodeKey(key).length === 20
    } catch {
      usable = false
    }
    return setupPage(c, usable ? key : encodeKey(generateTotpKey()), 422)
  }
  return page(c, c.var.t('twoFactor.recovery.title'), <RecoveryCodeView t={c.var.t} code={String(result.recoveryCode)} />)
})

authRoutes.get('/password/forgot', (c) => page(c, c.var.t('forgot.title'), <ForgotView t={c.var.t} form={emptyForm()} />))

authRoutes.post('/password/forgot', async (c) => {
  const { t } = c.var
  const r = await parseForm(c, EmailForm)
  if (!r.ok) return page(c, t('forgot.title'), <ForgotView t={t} form={r} />, 422)
  const sent = await requestPasswordReset(c.var.deps, r.data.email, c.var.now)
  if (!sent.allowed) return throttled(c, sent.retryAfterSeconds)
  return page(c, t('forgot.title'), <ForgotView t={t} form={emptyForm({ email: r.data.email })} done />)
})

authRoutes.get('/password/reset/:token', async (c) => {
  const { t } = c.var
  const token = c.req.param('token')
  const link = await peekEmailToken(c.var.deps, token, 'password_reset', c.var.now)
  if (!link) return page(c, t('reset.invalid.title'), <ResetInvalidView t={t} />, 404)
  return page(c, t('reset.title'), <ResetView t={t} form={emptyForm()} token={token} />)
})

authRoutes.post('/password/reset/:token', async (c) => {
  const { t } = c.var
  const token = c.req.param('token')
  const r = await parseForm(c, ResetForm)
  if (!r.ok) return page(c, t('reset.title'), <ResetView t={t} form={{ values: {}, errors: r.errors }} token={token} />, 422)
  const done = await resetPassword(c.var.deps, token, r.data.password, c.var.now)
  if (!done.ok) return page(c, t('reset.invalid.title'), <ResetInvalidView t={t} />, 404)
  deleteSessionCookie(c, c.var.deps.config)
  return seeOther(c, '/login', 'reset.done')
})

/** The flash for an invitation whose org had no seat: the org, its plan and limit, and until when it waits. */
function invitationWaiting(w: WaitingInvitation, lang: Language) {
  const { org, seats, expiresAt, timeZone } = w
  return { key: 'seats.invitationWaiting' as const, params: { org, plan: seats.plan, product: seats.product, count: seats.limit, date: formatDate(lang, expiresAt, timeZone) } }
}
