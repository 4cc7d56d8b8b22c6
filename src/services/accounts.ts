// Account verbs (SPEC §1): register, activate, resend activation, forgot / reset password.
// Each returns a result; the answers that go back to a stranger never tell whether an account exists.
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Config } from '../config'
import type { Executor } from '../db/client'
import type { Deps } from '../deps'
import { uniqueViolation } from '../db/errors'
import { consents, emailTokens, users } from '../db/schema'
import { hit, RULES, type ThrottleResult } from '../db/throttle'
import { dummyHash, hashPassword, verifyPassword } from '../auth/password'
import { invalidateUserSessions } from '../auth/session'
import { generateId, generateToken, hashToken } from '../auth/tokens'
import { HOUR } from '../clock'
import type { Language } from '../i18n'
import { enqueueMail, sealMail } from '../mail/outbox'
import { activationMail, existingAccountMail, passwordChangedMail, passwordResetMail } from '../mail/templates/account'
import { guard, guardAborted } from '../db/guard'

export const ACTIVATION_VALID_FOR = 48 * HOUR
export const RESET_VALID_FOR = 1 * HOUR

export type RegisterInput = {
  name: string
  email: string
  password: string
  language: Language
  marketing: boolean
}

export function findUserByEmail(deps: Deps, email: string) {
  return deps.db.select().from(users).where(eq(users.email, email)).get()
}

export async function registerAccount(deps: Deps, input: RegisterInput, now: Date): Promise<void> {
  const { db, config } = deps
  const existing = await findUserByEmail(deps, input.email)
  if (existing) {
    // Same answer as a new registration. Hash anyway so the timing matches, and throttle so the
    // form can't be used to flood a mailbox.
    await verifyPassword(dummyHash(config.passwordCost), input.password)
    if (!existing.activatedAt) {
      // Not activated yet: most likely the same person, whose first link was lost or expired. A fresh
      // link, within the limit of "send it again"; the account keeps its first name and password, so
      // registering again can't take over an address whose owner then activates it.
      const allowed = await hit(db, RULES.emailLink, `activation:${input.email}`, now)
      if (allowed.allowed) await sendActivationLink(deps, existing, now, 'again')
      return
    }
    // The owner of an active account learns someone tried.
    const allowed = await hit(db, RULES.emailLink, `existing:${input.email}`, now)
    if (allowed.allowed) {
      await enqueueMail(db, {
        to: existing.email,
        language: existing.language,
        template: 'account.existing',
        mail: existingAccountMail({ lang: existing.language, vendor: config.vendorName }, { loginUrl: `${config.baseUrl}/login` }),
        now,
      })
    }
    return
  }
  const userId = generateId()
  const token = generateToken()
  const passwordHash = await hashPassword(input.password, config.passwordCost)
  const accepted = [
    { kind: 'terms' as const, version: config.termsVersion },
    { kind: 'privacy' as const, version: config.privacyVersion },
    ...(input.marketing ? [{ kind: 'marketing' as const, version: config.marketingVersion }] : []),
  ]
  try {
    await db.batch([
      db.insert(users).values({
        id: userId,
        email: input.email,
        name: input.name,
        language: input.language,
        passwordHash,
        createdAt: now,
      }),
      db.insert(consents).values(accepted.map((c) => ({ userId, kind: c.kind, version: c.version, acceptedAt: now }))),
      activationTokenInsert(deps, userId, token, now),
      enqueueMail(db, await sealedActivationMail(deps, { email: input.email, name: input.name, language: input.language }, token, now)),
    ])
  } catch (e) {
    // Two registrations of one address at the same moment: the unique index lets one through.
    if (uniqueViolation(e)) return
    throw e
  }
}

function activationTokenInsert(deps: Deps, userId: string, token: string, now: Date) {
  return deps.db.insert(emailTokens).values({
    id: hashToken(token),
    userId,
    purpose: 'activation',
    createdAt: now,
    expiresAt: new Date(now.getTime() + ACTIVATION_VALID_FOR),
  })
}

function sealedActivationMail(deps: Deps, user: { email: string; name: string; language: Language }, token: string, now: Date, again = false) {
  const { config } = deps
  return sealMail(config.ecodeSecrets.encryptionKey, {
    to: user.email,
    language: user.language,
    template: 'account.activation',
    mail: activationMail({ lang: user.language, vendor: config.vendorName }, { name: user.name, url: `${config.baseUrl}/activate/${token}`, again }),
    now,
  })
}

/** A new activation link for an account still waiting for one (the earlier links stay valid until they expire). */
async function sendActivationLink(deps: Deps, user: { id: string; email: string; name: string; language: Language }, now: Date, why: 'asked' | 'again') {
  const token = generateToken()
  await deps.db.batch([activationTokenInsert(deps, user.id, token, now), enqueueMail(deps.db, await sealedActivationMail(deps, user, token, now, why === 'again'))])
}

/** The user a still-valid link belongs to, without using it (to show the confirmation page). */
export async function peekEmailToken(deps: Deps, token: string, purpose: 'activation' | 'password_reset', now: Date) {
  return deps.db
    .select({ userId: users.id, email: users.email, activatedAt: users.activatedAt })
    .from(emailTokens)
    .innerJoin(users, eq(users.id, emailTokens.userId))
    .where(
      and(
        eq(emailTokens.id, hashToken(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .get()
}

/** Uses an activation link once: marks the link used and the account active in one batch. */
export async function activateAccount(deps: Deps, token: string, now: Date): Promise<{ ok: boolean }> {
  const { db } = deps
  const id = hashToken(token)
  const [used] = await db.batch([
    db
      .update(emailTokens)
      .set({ usedAt: now })
      .where(and(eq(emailTokens.id, id), eq(emailTokens.purpose, 'activation'), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
      .returning({ userId: emailTokens.userId }),
    db
      .update(users)
      .set({ activatedAt: now })
      .where(
        and(
          isNull(users.activatedAt),
          eq(users.id, sql`(select ${emailTokens.userId} from ${emailTokens} where ${emailTokens.id} = ${id} and ${emailTokens.usedAt} = ${now.getTime()})`),
        ),
      ),
  ])
  return { ok: used.length === 1 }
}

/** Sends a fresh activation link if the address belongs to an account still waiting for it. */
export async function resendActivation(deps: Deps, email: string, now: Date): Promise<ThrottleResult> {
  const throttle = await hit(deps.db, RULES.emailLink, `activation:${email}`, now)
  if (!throttle.allowed) return throttle
  const user = await findUserByEmail(deps, email)
  if (user && !user.activatedAt) await sendActivationLink(deps, user, now, 'asked')
  return throttle
}

export async function requestPasswordReset(deps: Deps, email: string, now: Date): Promise<ThrottleResult> {
  const { db, config } = deps
  const throttle = await hit(db, RULES.emailLink, `reset:${email}`, now)
  if (!throttle.allowed) return throttle
  const user = await findUserByEmail(deps, email)
  if (user) {
    const token = generateToken()
    await db.batch([
      db.insert(emailTokens).values({
        id: hashToken(token),
        userId: user.id,
        purpose: 'password_reset',
        createdAt: now,
        expiresAt: new Date(now.getTime() + RESET_VALID_FOR),
      }),
      enqueueMail(
        db,
        await sealMail(config.ecodeSecrets.encryptionKey, {
          to: user.email,
          language: user.language,
          template: 'account.reset',
          mail: passwordResetMail({ lang: user.language, vendor: config.vendorName }, { url: `${config.baseUrl}/password/reset/${token}` }),
          now,
        }),
      ),
    ])
  }
  return throttle
}

/**
 * Uses a reset link once: new password, every session and every other reset link of the user
 * ended, a notice mailed. A reset also proves the address, so an account not yet activated becomes active.
 */
export async function resetPassword(deps: Deps, token: string, password: string, now: Date): Promise<{ ok: boolean }> {
  const { db, config } = deps
  const link = await peekEmailToken(deps, token, 'password_reset', now)
  if (!link) return { ok: false }
  const user = await db.select().from(users).where(eq(users.id, link.userId)).get()
  if (!user) return { ok: false }
  const passwordHash = await hashPassword(password, config.passwordCost)
  // One batch, all or nothing: guarded on the link being still unused and valid, it is used, the
  // password changes, sessions end and the notice is queued — a link submitted twice works once.
  const live = and(eq(emailTokens.id, hashToken(token)), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now))
  try {
    await db.batch([
      guard(db, sql`exists (select 1 from ${emailTokens} where ${live})`),
      db.update(emailTokens).set({ usedAt: now }).where(live),
      db
        .update(users)
        .set({ passwordHash, activatedAt: sql`coalesce(${users.activatedAt}, ${now.getTime()})` })
        .where(eq(users.id, user.id)),
      invalidateUserSessions(db, user.id),
      endResetLinks(db, user.id),
      passwordChangedNotice(db, config, user, now),
    ])
  } catch (e) {
    if (guardAborted(e)) return { ok: false }
    throw e
  }
  return { ok: true }
}

/**
 * Deletes the user's reset links not yet used, for the batch that changes the password: a link
 * asked for before the change (perhaps by whoever knew the old password) must not undo it (issue 15).
 */
export function endResetLinks(db: Executor, userId: string) {
  return db.delete(emailTokens).where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, 'password_reset'), isNull(emailTokens.usedAt)))
}

/** The "your password was changed" e-mail, for the batch or transaction that changes it. */
export function passwordChangedNotice(db: Executor, config: Config, user: { email: string; language: Language }, now: Date) {
  return enqueueMail(db, {
    to: user.email,
    language: user.language,
    template: 'account.password_changed',
    mail: passwordChangedMail({ lang: user.language, vendor: config.vendorName }, { resetUrl: `${config.baseUrl}/password/forgot` }),
    now,
  })
}
