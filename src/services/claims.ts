// Getting a company back by its tax id and a licence number (SPEC §3, seed 002): someone whose
// colleagues' accounts are gone proves a link to the company with a licence number it holds and a
// signed-off statement, and joins as a member without product rights. The org's administrators
// get an inbox item and an e-mail; the history records it. Guessing is throttled per user and per
// tax id, and a wrong answer never says which part was wrong; naming a company by its tax id at
// all (the first step of adding one) counts against the same limits.
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { licences, memberships, orgRequests, orgs, users } from '../db/schema'
import { recordHistory, userActor } from '../db/history'
import { counterQuery, hitAll, RULES, waitWhileOver } from '../db/throttle'
import { readTogether, type BatchItem } from '../db/client'
import { uniqueViolation } from '../db/errors'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { enqueueMail } from '../mail/outbox'
import { memberClaimedMail } from '../mail/templates/members'
import { claimNoSeatMail } from '../mail/templates/seats'
import { guard, guardAborted } from '../db/guard'
import type { Language } from '../i18n'
import { fullSeats, hasSeatFor, planPagePath, type SeatLimit } from './seats'
import type { Org } from './orgs'

/** The version of the "I declare that I am authorised to act on behalf of …" text the user accepts. */
export const AUTHORISATION_STATEMENT_VERSION = '2026-11'

export type ClaimInput = { taxId: string; licenceNumber: string }
export type ClaimResult =
  | { ok: true; org: Org; alreadyMember: boolean }
  | { ok: false; error: 'no_company' }
  | { ok: false; error: 'seats_full'; org: Org; seats: SeatLimit }
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
  const join = [
    // The seat check is inside the insert (src/services/seats.ts); the guard after it aborts the
    // whole claim — inbox item, history, mails — when it found no seat.
    db.run(sql`insert into ${memberships} (org_id, user_id, role, created_at)
      select ${org.id}, ${user.id}, 'member', ${now.getTime()} where ${hasSeatFor(org.id)}`),
    guard(db, sql`changes() > 0`),
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
  ] as const
  // A refusal is explained by the seats read after it; a seat freed in between is taken by trying again.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.batch(join)
      return { ok: true, org, alreadyMember: false }
    } catch (e) {
      // The same person claiming twice at once: the membership's primary key lets one through.
      if (uniqueViolation(e)?.startsWith('memberships.')) return { ok: true, org, alreadyMember: true }
      if (!guardAborted(e)) throw e
    }
    const seats = await fullSeats(deps, org.id)
    if (seats || attempt === 3) {
      if (!seats) throw new Error('a claim found no seat three times, yet the org is not full')
      const mails = noSeatMails(deps, org, user, admins, seats, now)
      if (mails.length) await db.batch(mails as [BatchItem, ...BatchItem[]])
      return { ok: false, error: 'seats_full', org, seats }
    }
  }
}

/**
 * The administrators are told that someone proved a licence number but found no seat (in their
 * language, with the plan page), so they can free one or add users; the claimant then claims again.
 * At most as often as the claim throttle lets the claimant try.
 */
function noSeatMails(deps: Deps, org: Org, user: User, admins: { email: string; language: Language }[], seats: SeatLimit, now: Date): BatchItem[] {
  const { db, config } = deps
  return admins.map((a) =>
    enqueueMail(db, {
      to: a.email,
      language: a.language,
      template: 'member.claim_no_seat',
      mail: claimNoSeatMail(
        { lang: a.language, vendor: config.vendorName },
        { org: org.name, name: user.name, email: user.email, plan: seats.plan, product: seats.product, limit: seats.limit, url: `${config.baseUrl}${planPagePath(org.slug, seats.productKey)}` },
      ),
      now,
    }),
  )
}
