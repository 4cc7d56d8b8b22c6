// Getting a company back by its tax id and a licence number (SPEC §3, seed 002): someone whose
// colleagues' accounts are gone proves a link to the company with a licence number it holds and a
// signed-off statement, and joins as a member without product rights. The org's administrators
// get an inbox item and an e-mail; the history records it. Guessing is throttled per user and per
// tax id, and a wrong answer never says which part was wrong; naming a company by its tax id at
// all (the first step of adding one) counts against the same limits.
import { and, eq, isNull } from 'drizzle-orm'
import type { Deps } from '../deps'
import { licences, memberships, orgRequests, orgs, users } from '../db/schema'
import { recordHistory, userActor } from '../db/history'
import { counterQuery, hitAll, RULES, waitWhileOver } from '../db/throttle'
import { readTogether } from '../db/client'
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
  | { ok: false; error: 'no_company' }
  | { ok: false; error: 'no_match'; company: string }
  | { ok: false; error: 'throttled'; retryAfterSeconds: number }

const liveOrgWithTaxId = (taxId: string) => and(eq(orgs.taxId, taxId), isNull(orgs.deletedAt))

export type CompanyLookup = { ok: true; org: Org | undefined } | { ok: false; retryAfterSeconds: number }

/**
 * The live org with this (normalized) tax id, for a signed-in user adding a company: naming a
 * customer is what the claim throttle guards (issue 15), so a found company counts as an attempt,
 * per user and per tax id, and a user at the limit is refused for any tax id — the refusal itself
 * says nothing. A tax id no org has counts nothing.
 */
export async function companyByTaxId(deps: Deps, user: User, taxId: string, now: Date): Promise<CompanyLookup> {
  const { db } = deps
  const read = await readTogether(db, {
    org: db.select().from(orgs).where(liveOrgWithTaxId(taxId)).limit(1),
    counter: counterQuery(db, RULES.claimByUser, user.id, now),
  })
  const wait = waitWhileOver([RULES.claimByUser], [read.counter[0]?.count ?? 0], now)
  if (wait > 0) return { ok: false, retryAfterSeconds: wait }
  const org = read.org[0]
  if (!org) return { ok: true, org: undefined }
  const counted = await hitAll(db, [[RULES.claimByUser, user.id], [RULES.claimByTaxId, taxId]], now)
  return counted.allowed ? { ok: true, org } : { ok: false, retryAfterSeconds: counted.retryAfterSeconds }
}

export async function claimOrg(deps: Deps, user: User, input: ClaimInput, now: Date): Promise<ClaimResult> {
  const { db, config } = deps
  // Every attempt counts, right or wrong, before anything is read, so the limit bounds guessing
  // however it is spread, and an attempt over it learns nothing.
  const limits = await hitAll(db, [[RULES.claimByUser, user.id], [RULES.claimByTaxId, input.taxId]], now)
  if (!limits.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: limits.retryAfterSeconds }

  const found = await db
    .select({ org: orgs, licence: licences.id })
    .from(orgs)
    .leftJoin(licences, and(eq(licences.orgId, orgs.id), eq(licences.number, input.licenceNumber)))
    .where(liveOrgWithTaxId(input.taxId))
    .get()
  if (!found) return { ok: false, error: 'no_company' }
  if (!found.licence) return { ok: false, error: 'no_match', company: found.org.name }
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
          mail: memberClaimedMail({ lang: a.language, vendor: config.vendorName }, { org: org.name, name: user.name, email: user.email, url: `${config.baseUrl}/o/${org.slug}/settings/users` }),
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
