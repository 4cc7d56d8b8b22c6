// The daily purge (SPEC §8, §9, §13), in order:
//   1. read-only orgs: warnings 7 days and 1 day before the deletion date, the deletion on it, and
//      the confirmation after (src/services/org-deletion.ts);
//   2. e-codes past their validity become `expired`, then the warnings 30 days before
//      (src/services/ecode-expiry.ts) — after the deletions, so a deleted org is not warned;
//   3. accounts never activated within 7 days, expired sessions, spent or expired e-mail links, and
//      old throttle counters;
//   4. housekeeping: delivered or abandoned mail (bodies hold personal data and links) and job runs
//      older than 90 days, the vendor API's idempotency keys past their 24 hours (released: the
//      report stays counted, its stored answer goes), and operators' TOTP seeds still in clear from
//      before sealing get sealed;
//   5. saved payment methods removed (by a person, or with a deleted org) detached at the provider.
// Counts: `deleted` (whole orgs and single lapsed products), `warned` (deletion warnings),
// `mailed` (e-mails queued by both), `ecodes_expired`, `ecode_warnings` (orgs warned),
// `methods_detached` and `methods_undetached` (the provider could not be asked: the next run tries
// again), and `failed` for items that threw (recorded on the run; the others go on). Each step
// finds its due work afresh in pages, so a run that spends its budget (RUN_BUDGET) stops where it
// is, `unfinished`, and the next mail tick's run goes on from there (src/jobs/index.ts).
import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { ecodes, emailTokens, jobRuns, orgs, outbox, sessions, subscriptions, throttleHits, usageEvents, users } from '../db/schema'
import { cachedCatalog } from '../db/catalog-cache'
import { DAY } from '../clock'
import { deletionScanBound, handleLapsed } from '../services/org-deletion'
import { expireECodes, warningScanBound, warnOfExpiringECodes } from '../services/ecode-expiry'
import { charged, count, failed, guarded, RUN_BUDGET, spent, type Budget, type StepContext, type Unit } from '../services/steps'
import { detachRemovedMethods } from '../services/saved-methods'
import { IDEMPOTENCY_KEY_HELD_FOR } from '../services/usage'
import { sealClearTotpKeys } from '../services/totp-keys'
import { NO_LEASE, type JobCounts, type JobReport, type RunContext } from './runner'

export const UNACTIVATED_ACCOUNT_LIFETIME = 7 * DAY
export const PURGES_PAGE = 100
/** How long a sent, local or failed e-mail stays in the outbox (for "I never got it" questions). */
export const MAIL_KEPT_FOR = 90 * DAY
/** How long a job run stays on /ops/jobs. */
export const RUNS_KEPT_FOR = 90 * DAY

export async function runPurges(deps: Deps, now: Date, page = PURGES_PAGE, budget: Budget = RUN_BUDGET, run: RunContext = NO_LEASE): Promise<JobReport> {
  const catalog = await cachedCatalog(deps.db)
  const counts: JobCounts = { deleted: 0, warned: 0, mailed: 0, ecodes_expired: 0, ecode_warnings: 0, failed: 0 }
  const x: StepContext = { deps, now, catalog, page, counts, errors: [], budget: { ...budget }, heartbeat: run.heartbeat }
  const unit: Unit = (work) => charged(x, work)
  await readOnlyOrgs(x)
  count(x, 'ecodes_expired', await expireECodes(deps.db, now, page, unit))
  await expiringECodes(x)
  await unit(async () => void Object.assign(counts, await purgeAccounts(deps, now)))
  await unit(async () => void Object.assign(counts, await housekeeping(deps, now)))
  await unit(async () => {
    const sealed = await sealClearTotpKeys(deps)
    if (sealed > 0) counts.totpKeysSealed = sealed
  })
  try {
    const r = await detachRemovedMethods(deps, now, page, unit)
    count(x, 'methods_detached', r.detached)
    count(x, 'methods_undetached', r.unavailable)
  } catch (e) {
    failed(x, 'detaching removed payment methods', e)
  }
  if (x.unfinished) counts.unfinished = 1
  return { counts, errors: x.errors }
}

/** Read-only subscriptions that may owe a warning or a deletion, a page at a time by (lapse, id). */
async function readOnlyOrgs(x: StepContext): Promise<void> {
  const { deps, now, catalog, page } = x
  if (catalog.length === 0) return
  const s = subscriptions
  const bound = deletionScanBound(now, Math.min(...catalog.map((p) => p.graceDays))).getTime()
  // A free plan lapsed for inactivity has no period end: it lapsed at its start (readOnlyState).
  const lapsedAt = sql`coalesce(${s.periodEnd}, ${s.periodStart})`
  let cursor: { end: number; id: string } | null = null
  for (;;) {
    const rows = await deps.db
      .select({ sub: s, org: orgs })
      .from(s)
      .innerJoin(orgs, eq(orgs.id, s.orgId))
      .where(
        and(
          eq(s.status, 'read_only'),
          sql`${lapsedAt} <= ${bound}`,
          isNull(orgs.deletedAt),
          // Nulls sort first in the index, as -1 does here.
          cursor ? sql`(coalesce(${s.periodEnd}, -1), ${s.id}) > (${cursor.end}, ${cursor.id})` : undefined,
        ),
      )
      .orderBy(s.periodEnd, s.id)
      .limit(page)
    for (const { sub, org } of rows) {
      if (spent(x)) return
      const product = catalog.find((p) => p.id === sub.productId)
      if (!product) continue
      await guarded(x, `read-only subscription ${sub.id}`, async () => {
        const r = await handleLapsed(deps, { sub, org, product }, now)
        if (r.did === 'nothing') return
        count(x, r.did)
        count(x, 'mailed', r.mails)
      })
    }
    const last = rows.at(-1)
    if (rows.length < page || !last) break
    cursor = { end: last.sub.periodEnd?.getTime() ?? -1, id: last.sub.id }
  }
}

/** Orgs with active codes that may expire within the warning window, a page at a time by org id. */
async function expiringECodes(x: StepContext): Promise<void> {
  const { deps, now, catalog, page } = x
  let cursor: string | null = null
  for (;;) {
    const rows = await deps.db
      .select({ org: orgs })
      .from(ecodes)
      .innerJoin(orgs, eq(orgs.id, ecodes.orgId))
      .where(
        and(
          eq(ecodes.status, 'active'),
          gt(ecodes.expiresAt, now),
          lt(ecodes.expiresAt, warningScanBound(now)),
          isNull(orgs.deletedAt),
          cursor ? gt(ecodes.orgId, cursor) : undefined,
        ),
      )
      .groupBy(ecodes.orgId)
      .orderBy(asc(ecodes.orgId))
      .limit(page)
    for (const { org } of rows) {
      if (spent(x)) return
      await guarded(x, `e-code warning of org ${org.id}`, async () => {
        if (await warnOfExpiringECodes(deps, org, catalog, now)) count(x, 'ecode_warnings')
      })
    }
    const last = rows.at(-1)
    if (rows.length < page || !last) break
    cursor = last.org.id
  }
}

/** Accounts never activated within 7 days, expired sessions, spent or expired e-mail links, old throttle counters. */
async function purgeAccounts({ db }: Deps, now: Date): Promise<JobCounts> {
  const [accounts, expiredSessions, tokens, throttles] = await db.batch([
    db
      .delete(users)
      .where(and(isNull(users.activatedAt), lt(users.createdAt, new Date(now.getTime() - UNACTIVATED_ACCOUNT_LIFETIME))))
      .returning({ id: users.id }),
    db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id }),
    db
      .delete(emailTokens)
      .where(or(lt(emailTokens.expiresAt, now), isNotNull(emailTokens.usedAt)))
      .returning({ id: emailTokens.id }),
    db.delete(throttleHits).where(lt(throttleHits.expiresAt, now.getTime())).returning({ key: throttleHits.key }),
  ])
  return {
    accountsDeleted: accounts.length,
    sessionsDeleted: expiredSessions.length,
    tokensDeleted: tokens.length,
    throttlesDeleted: throttles.length,
  }
}

/**
 * Mail finished with (sent, local or given up) and job runs, after 90 days. Mail ages in the app's
 * time, like everything it is about; runs in real time (their start is the real clock's), so
 * moving the test clock far ahead does not wipe the runs that moved it.
 */
async function housekeeping({ db, clock }: Deps, now: Date): Promise<JobCounts> {
  const [mails, runs, keys] = await db.batch([
    db
      .delete(outbox)
      .where(and(inArray(outbox.status, ['sent', 'local', 'failed']), lt(outbox.createdAt, new Date(now.getTime() - MAIL_KEPT_FOR)))),
    db.delete(jobRuns).where(lt(jobRuns.startedAt, new Date(clock.now().getTime() - RUNS_KEPT_FOR))),
    // Through the partial index of held keys (usage_keys_held); a report after its 24 hours finds
    // its key free even before this runs (src/services/usage.ts).
    db
      .update(usageEvents)
      .set({ fingerprint: null, response: null })
      .where(and(isNotNull(usageEvents.fingerprint), lte(usageEvents.at, new Date(now.getTime() - IDEMPOTENCY_KEY_HELD_FOR)))),
  ])
  // Counted, not returned: the first run after an upgrade may delete hundreds of thousands of rows.
  return { mailsDeleted: mails.rowsAffected, runsDeleted: runs.rowsAffected, usageKeysReleased: keys.rowsAffected }
}
