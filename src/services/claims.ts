// Getting a company back by its tax id and a licence number (SPEC §3, seed 002): someone whose
// colleagues' accounts are gone proves a link to the company with a licence number it holds and a
// signed-off statement, and joins as a member without product rights. The org's administrators
// get an inbox item and an e-mail; the history records it. Guessing is throttled per user and per
// tax id, and a wrong answer never says which part was wrong.
import { and, eq, isNull } from 'drizzle-orm'
import type { Deps } from '../deps'
import { licences, memberships, orgRequests, orgs, users } from '../db/schema'
import { recordHistory, userActor } from '../db/history'
import { hit, RULES, type ThrottleResult } from '../db/throttle'
import { uniqueViolation } from '../db/errors'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { enqueueMail } from '../mail/outbox'
import { memberClaimedMail } from '../mail/templates/members'
import type { Org } from './orgs'

/** The version of the "I declare that I am authorised to act on behalf of …" text the user accepts. */
export const AUTHORISATION_STATEMENT_VERSION = '2026-11'

export type ClaimInput = { taxId: string; licenceNumber: string }
export type ClaimResult =
  | { ok: true; org: Org; alreadyMember: boolean }
  | { ok: false; error: 'no_match' }
  | { ok: false; error: 'throttled'; retryAfterSeconds: number }

/** The live org with this (normalized) tax id, for the first step: it shows the company's name. */
export function liveOrgByTaxId(deps: Deps, taxId: string): Promise<Org | undefined> {
  return deps.db.select().from(orgs).where(and(eq(orgs.taxId, taxId), isNull(orgs.deletedAt))).get()
}

export async function claimOrg(deps: Deps, user: User, input: ClaimInput, now: Date): Promise<ClaimResult> {
  const { db, config } = deps
  // Every attempt counts, right or wrong, so the limit bounds guessing however it is spread.
  const limits: ThrottleResult[] = [await hit(db, RULES.claimByUser, user.id, now), await hit(db, RULES.claimByTaxId, input.taxId, now)]
  const refused = limits.find((l) => !l.allowed)
  if (refused && !refused.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: refused.retryAfterSeconds }

  const found = await db
    .select({ org: orgs })
    .from(orgs)
    .innerJoin(licences, and(eq(licences.orgId, orgs.id), eq(licences.number, input.licenceNumber)))
    .where(and(eq(orgs.taxId, input.taxId), isNull(orgs.deletedAt)))
    .get()
  if (!found) return { ok: false, error: 'no_match' }
  const { org } = found
  if (await db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id))).get()) {
    return { ok: true, org, alreadyMember: true }
  }

  const admins = await db
    .select({ email: users.email, language: users.language })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, org.id), eq(memberships.role, 'admin')))
  const details = { email: user.email, name: user.name, licence: input.licenceNumber, statementVersion: AUTHORISATION_STATEMENT_VERSION, statementAcceptedAt: now.toISOString() }
  try {
    await db.batch([
      // A claim is a recovery path: it is not refused for a full seat limit (the org shows over it).
      db.insert(memberships).values({ orgId: org.id, userId: user.id, role: 'member', createdAt: now }),
      db.insert(orgRequests).values({ id: generateId(), orgId: org.id, kind: 'member_claimed', userId: user.id, status: 'pending', details, createdAt: now }),
      recordHistory(db, { orgId: org.id, actor: userActor(user), kind: 'member.claimed', subject: { type: 'user', id: user.id }, details, at: now }),
      ...admins.map((a) =>
        enqueueMail(db, {
          to: a.email,
          language: a.language,
          template: 'member.claimed',
          mail: memberClaimedMail({ lang: a.language, vendor: config.vendorName }, { org: org.name, who: `${user.name} <${user.email}>`, url: `${config.baseUrl}/o/${org.slug}/settings/users` }),
          now,
        }),
      ),
    ])
  } catch (e) {
    // The same person claiming twice at once: the membership's primary key lets one through.
    if (uniqueViolation(e)?.startsWith('memberships.')) return { ok: true, org, alreadyMember: true }
    throw e
  }
  return { ok: true, org, alreadyMember: false }
}
