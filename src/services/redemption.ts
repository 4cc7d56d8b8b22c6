// Public redemption of an e-code (SPEC §9): looking a code up for its page, the orgs that may receive
// it, and redeeming it — the code becomes `used`, a unit lands in the receiving org's warehouse and
// both orgs' histories say so, all in one batch that only happens if the code was still active and
// the receiving org is not read-only.
import { and, asc, eq, gt, isNotNull, isNull, notExists, or, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { ecodes, memberPermissions, memberships, orgs, products, subscriptions, variants } from '../db/schema'
import { addStockIfChanged } from '../db/warehouse'
import { recordHistoryIfChanged, userActor } from '../db/history'
import { ecodeLookupHash } from '../auth/ecode-crypto'
import { countFailure, countIn, RULES, waitWhileOver, windowStart } from '../db/throttle'
import { bindPrepared } from '../db/prepared'
import type { Db } from '../db/client'
import type { User } from '../auth/session'
import { isExpired } from '../domain/ecode'
import { readOnlySubscriptionsOf } from './read-only'

export type ECodeState = 'active' | 'used' | 'expired' | 'disposed'
export type FoundECode = NonNullable<Awaited<ReturnType<typeof findByHash>>>
export type LookUp = { found: false } | { found: true; ecode: FoundECode; state: ECodeState }

// What a malformed code is hashed as, so that it costs the same HMAC and query as a real one; its
// row, should one ever exist, is ignored.
const STAND_IN = '0000000000000000'

/** "…2PZD": how a code is shown where the whole of it must not be (history, inbox, e-mails). */
export function maskedECode(code: string): string {
  return `…${code.slice(-4)}`
}

const codeColumns = {
  id: ecodes.id,
  orgId: ecodes.orgId,
  productId: ecodes.productId,
  variantId: ecodes.variantId,
  status: ecodes.status,
  expiresAt: ecodes.expiresAt,
  usedAt: ecodes.usedAt,
  usedByOrgId: ecodes.usedByOrgId,
  recipientName: ecodes.recipientName,
  message: ecodes.message,
  productName: products.name,
  variantName: variants.name,
  issuer: { name: orgs.name, slug: orgs.slug, timeZone: orgs.timeZone },
}

function findByHash(deps: Deps, lookupHash: string) {
  return deps.db
    .select(codeColumns)
    .from(ecodes)
    .innerJoin(products, eq(products.id, ecodes.productId))
    .innerJoin(variants, eq(variants.id, ecodes.variantId))
    .innerJoin(orgs, eq(orgs.id, ecodes.orgId))
    .where(eq(ecodes.lookupHash, lookupHash))
    .get()
}

/** The rules a failed look-up counts against, per address (SPEC §16). */
export const LOOKUP_RULES = [RULES.ecodeLookupHour, RULES.ecodeLookupDay]

/**
 * The code by its hash (a row of nulls when there is none) with the address's counters under each
 * look-up rule: prepared once per handle (src/db/prepared.ts), as every /r/<code> page reads it.
 */
const codeWithCounts = (db: Db) =>
  db
    .select({ ...codeColumns, counts: sql<string>`json_array(${sql.join(LOOKUP_RULES.map((r, i) => countIn(r, sql.placeholder('ip'), sql.placeholder(`start${i}`))), sql`, `)})` })
    .from(sql`(select 1) one`)
    .leftJoin(ecodes, eq(ecodes.lookupHash, sql.placeholder('hash')))
    .leftJoin(products, eq(products.id, ecodes.productId))
    .leftJoin(variants, eq(variants.id, ecodes.variantId))
    .leftJoin(orgs, eq(orgs.id, ecodes.orgId))

export type CountedLookUp = LookUp | { found: 'throttled'; retryAfterSeconds: number }

/**
 * The code's look-up for the public page, throttled per address on failures only, in one batch (one
 * round trip): first the statement that counts this attempt as a failure if no such code exists and
 * the address is within its limits (taking the write lock, so parallel guesses are counted one after
 * another), then the code with the counters as they were. A found code writes nothing; an address
 * at its limit is refused whether the code exists or not, so guessing past the limit learns nothing.
 */
export async function lookUpCounted(deps: Deps, code: string | null, ip: string, now: Date): Promise<CountedLookUp> {
  const { db } = deps
  const hash = await ecodeLookupHash(deps.config.ecodeSecrets.lookupKey, code ?? STAND_IN)
  const missing = code === null ? sql`1` : sql`not exists (select 1 from ${ecodes} x where x.lookup_hash = ${hash})`
  const starts = Object.fromEntries(LOOKUP_RULES.map((r, i) => [`start${i}`, windowStart(r, now)]))
  const [counted, [row]] = await db.batch([countFailure(db, LOOKUP_RULES, ip, now, missing), bindPrepared(db, codeWithCounts, { hash, ip, ...starts })])
  const { counts, ...ecode } = row!
  // Counts read after this attempt's own failure was counted: take it back out for the verdict.
  const before = (JSON.parse(counts) as number[]).map((n, i) => n - (counted.some((c) => c.bucket === LOOKUP_RULES[i]!.bucket) ? 1 : 0))
  const wait = waitWhileOver(LOOKUP_RULES, before, now)
  if (wait > 0) return { found: 'throttled', retryAfterSeconds: wait }
  // Left joins from one row: a code that isn't there comes back as a row of nulls.
  if (code === null || !ecode.id) return { found: false }
  const found = ecode as FoundECode
  return { found: true, ecode: found, state: stateOf(found, now) }
}

/** A code past its validity counts as expired even before the purge job marks it so. */
export function stateOf(ecode: { status: FoundECode['status']; expiresAt: Date }, now: Date): ECodeState {
  return ecode.status === 'active' && isExpired(ecode.expiresAt, now) ? 'expired' : ecode.status
}

/**
 * The code (canonical, or null when what was typed can't be a code) and its state. The same work
 * either way — one HMAC, one query on the unique index — so the time taken says nothing.
 */
export async function lookUpECode(deps: Deps, code: string | null, now: Date): Promise<LookUp> {
  const row = await findByHash(deps, await ecodeLookupHash(deps.config.ecodeSecrets.lookupKey, code ?? STAND_IN))
  if (!row || code === null) return { found: false }
  return { found: true, ecode: row, state: stateOf(row, now) }
}

/** A subquery: the org `orgId` has a read-only subscription (SPEC §8), so it takes no changes. */
function readOnlySubscriptionOf(deps: Deps, orgId: typeof orgs.id | string) {
  return deps.db.select({ one: sql`1` }).from(subscriptions).where(readOnlySubscriptionsOf(orgId))
}

/**
 * The live orgs where the user may receive the code's product: those they administer, and those
 * where they are a member with permission for the product (the same people who may use the
 * warehouse's units of it). A read-only org is listed with `readOnly` set: it can't receive.
 */
export function receivingOrgs(deps: Deps, userId: string, productId: string) {
  return deps.db
    .select({ id: orgs.id, slug: orgs.slug, name: orgs.name, readOnly: sql<boolean>`exists ${readOnlySubscriptionOf(deps, orgs.id)}`.mapWith(Boolean) })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .leftJoin(
      memberPermissions,
      and(eq(memberPermissions.orgId, memberships.orgId), eq(memberPermissions.userId, memberships.userId), eq(memberPermissions.productId, productId)),
    )
    .where(and(eq(memberships.userId, userId), isNull(orgs.deletedAt), or(eq(memberships.role, 'admin'), isNotNull(memberPermissions.productId))))
    .orderBy(asc(orgs.name))
}

export type RedeemResult =
  | { ok: true; org: { slug: string; name: string } }
  | { ok: false; error: 'not_found' | 'not_allowed' | 'read_only' | Exclude<ECodeState, 'active'> }

/**
 * Redeems the code for the org `orgSlug`. One conditional update decides: of any number of
 * concurrent attempts exactly one changes the row, and the stock and the two history rows follow
 * only that one (each is conditional on the statement before it having changed a row). An org may
 * redeem a code it issued itself: the unit simply goes back to its warehouse.
 */
export async function redeemECode(deps: Deps, user: User, code: string, orgSlug: string, now: Date): Promise<RedeemResult> {
  const { db } = deps
  const found = await lookUpECode(deps, code, now)
  if (!found.found) return { ok: false, error: 'not_found' }
  if (found.state !== 'active') return { ok: false, error: found.state }
  const { ecode } = found
  const receiver = (await receivingOrgs(deps, user.id, ecode.productId)).find((o) => o.slug === orgSlug)
  if (!receiver) return { ok: false, error: 'not_allowed' }
  // A read-only org takes no changes, a unit in its warehouse included (SPEC §8): it renews first.
  if (receiver.readOnly) return { ok: false, error: 'read_only' }

  const masked = maskedECode(code)
  const what = { code: masked, product: ecode.productName, variant: ecode.variantName.en }
  const subject = { type: 'ecode', id: ecode.id }
  const [used] = await db.batch([
    db
      .update(ecodes)
      .set({ status: 'used', usedAt: now, usedByOrgId: receiver.id, usedByUserId: user.id })
      // Also conditional on the receiver not having lapsed into read-only since it was checked.
      .where(and(eq(ecodes.id, ecode.id), eq(ecodes.status, 'active'), gt(ecodes.expiresAt, now), notExists(readOnlySubscriptionOf(deps, receiver.id)))),
    addStockIfChanged(db, receiver.id, ecode.variantId, 1),
    recordHistoryIfChanged(db, { orgId: receiver.id, actor: userActor(user), kind: 'ecode.redeemed', subject, details: { ...what, from: ecode.issuer.name }, at: now }),
    recordHistoryIfChanged(db, { orgId: ecode.orgId, actor: userActor(user), kind: 'ecode.used', subject, details: { ...what, by: receiver.name }, at: now }),
  ])
  if (used.rowsAffected === 1) return { ok: true, org: { slug: receiver.slug, name: receiver.name } }
  // Someone else was faster (or the code expired or was disposed, or the org lapsed, meanwhile): say which.
  const again = await lookUpECode(deps, code, now)
  if (again.found && again.state === 'active') return { ok: false, error: 'read_only' }
  return { ok: false, error: again.found && again.state !== 'active' ? again.state : 'used' }
}
