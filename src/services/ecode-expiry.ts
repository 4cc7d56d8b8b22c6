// E-codes reaching the end of their validity (SPEC §9), for the daily purge: active codes past it
// become `expired`, and the people who manage an org's codes are warned 30 days before. An org gets
// at most one warning a day, listing how many codes of each variant expire on which date, and each
// code is announced once: a warning covers the codes expiring up to 30 calendar days ahead that no
// earlier warning covered — those expiring after the previous warning's window, and those created
// since it (a code can be made with less than 30 days to live). A late run thus catches up on the
// days it missed, in one mail.
import { and, count, desc, eq, gt, gte, inArray, lt, lte, or } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { Db, Executor } from '../db/client'
import type { CatalogProduct } from '../db/catalog'
import { ecodes, lifecycleNotices, memberPermissions, memberships, users } from '../db/schema'
import { warningDueAt } from '../domain/lapse'
import { localDate } from '../domain/time'
import { formatDate, type Language } from '../i18n'
import { ecodeExpiryMail, type ExpiryLine } from '../mail/templates/purges'
import { sendNotice, type Recipient } from './notices'
import { always, type Unit } from './steps'
import type { Org } from './orgs'

export const ECODE_WARNING_DAYS = 30
const NOTICE_KIND = 'ecode.expiry_warning'

/**
 * The end (exclusive) of what a warning sent at `at` covers: the start of the calendar day 31 days
 * on in the org's zone, so a code is announced on the day 30 days before its expiry date, whatever
 * its time of day and the run's (warningDueAt counted forwards).
 */
export function warningWindowEnd(at: Date, timeZone: string): Date {
  return warningDueAt(at, -(ECODE_WARNING_DAYS + 1), timeZone)
}

/** A bound on warningWindowEnd in any zone, for the scan across orgs. */
export function warningScanBound(now: Date): Date {
  return new Date(now.getTime() + (ECODE_WARNING_DAYS + 2) * 86_400_000)
}

/**
 * Marks active codes past their validity (valid up to, not including, expiresAt) as `expired`, a
 * page per statement, each statement a `unit` of the run's work (it stops when the run's budget
 * does): each is a conditional update on status, so concurrent runs mark each code once.
 */
export async function expireECodes(db: Db, now: Date, page: number, unit: Unit = always): Promise<number> {
  const due = and(eq(ecodes.status, 'active'), lte(ecodes.expiresAt, now))
  let marked = 0
  for (let last = page; last === page; ) {
    const ran = await unit(async () => {
      const ids = db.select({ id: ecodes.id }).from(ecodes).where(due).orderBy(ecodes.expiresAt).limit(page)
      last = (await db.update(ecodes).set({ status: 'expired' }).where(and(inArray(ecodes.id, ids), due))).rowsAffected
      marked += last
    })
    if (!ran) break
  }
  return marked
}

/** "2028-10-21": the local date in the zone. */
function isoDay(at: Date, timeZone: string): string {
  const { year, month, day } = localDate(at, timeZone)
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

type Due = { productId: string; variantId: string; expiresAt: Date; n: number }

/** The codes of the org a warning at `now` should announce, by variant and expiry instant. */
async function unannounced(db: Executor, org: Org, now: Date): Promise<Due[]> {
  const previous = await db
    .select({ sentAt: lifecycleNotices.sentAt })
    .from(lifecycleNotices)
    .where(and(eq(lifecycleNotices.orgId, org.id), eq(lifecycleNotices.kind, NOTICE_KIND)))
    .orderBy(desc(lifecycleNotices.sentAt))
    .get()
  const fresh = previous ? or(gte(ecodes.expiresAt, warningWindowEnd(previous.sentAt, org.timeZone)), gt(ecodes.createdAt, previous.sentAt)) : undefined
  return db
    .select({ productId: ecodes.productId, variantId: ecodes.variantId, expiresAt: ecodes.expiresAt, n: count() })
    .from(ecodes)
    .where(and(eq(ecodes.orgId, org.id), eq(ecodes.status, 'active'), gt(ecodes.expiresAt, now), lt(ecodes.expiresAt, warningWindowEnd(now, org.timeZone)), fresh))
    .groupBy(ecodes.productId, ecodes.variantId, ecodes.expiresAt)
}

/** Who is told: administrators (every product) and members with permission for a product (its codes only). */
type Manager = Recipient & { products: Set<string> | 'all' }

/**
 * The administrators and the members allowed to manage the products' codes: they are the ones who
 * can hand a code on or dispose of it before it expires. A member sees only their products' lines.
 */
async function codeManagers(db: Executor, orgId: string, productIds: string[]): Promise<Manager[]> {
  const rows = await db
    .select({ email: users.email, language: users.language, role: memberships.role, productId: memberPermissions.productId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(
      memberPermissions,
      and(eq(memberPermissions.orgId, memberships.orgId), eq(memberPermissions.userId, memberships.userId), inArray(memberPermissions.productId, productIds)),
    )
    .where(eq(memberships.orgId, orgId))
    .orderBy(users.email)
  const byEmail = new Map<string, Manager>()
  for (const r of rows) {
    if (r.role !== 'admin' && r.productId === null) continue
    const m = byEmail.get(r.email) ?? { email: r.email, language: r.language, products: r.role === 'admin' ? 'all' : new Set<string>() }
    if (m.products !== 'all' && r.productId) m.products.add(r.productId)
    byEmail.set(r.email, m)
  }
  return [...byEmail.values()]
}

/** The mail's lines for one reader: codes summed per variant and local expiry date, soonest first. */
function linesFor(due: Due[], m: Manager, org: Org, catalog: CatalogProduct[], lang: Language): ExpiryLine[] {
  const lines = new Map<string, ExpiryLine & { sort: string }>()
  for (const d of due) {
    if (m.products !== 'all' && !m.products.has(d.productId)) continue
    const product = catalog.find((p) => p.id === d.productId)
    const variant = product?.variants.find((v) => v.id === d.variantId)
    const sort = `${isoDay(d.expiresAt, org.timeZone)} ${product?.name} ${String(variant?.termMonths ?? 0).padStart(4, '0')} ${d.variantId}`
    const line = lines.get(sort) ?? { sort, count: 0, product: product?.name ?? '', variant: variant?.name[lang] ?? '', date: formatDate(lang, d.expiresAt, org.timeZone) }
    line.count += d.n
    lines.set(sort, line)
  }
  return [...lines.values()].sort((a, b) => a.sort.localeCompare(b.sort)).map(({ sort: _, ...line }) => line)
}

/**
 * Warns the org about its codes expiring within 30 days that no warning announced yet: one notice
 * per org and local day (lifecycle_notices), so a second run that day — or a concurrent one — mails
 * nothing; codes it would have added wait for tomorrow's. True when this call sent the warning.
 */
export async function warnOfExpiringECodes(deps: Deps, org: Org, catalog: CatalogProduct[], now: Date): Promise<boolean> {
  const { db, config } = deps
  const due = await unannounced(db, org, now)
  if (due.length === 0) return false
  const managers = await codeManagers(db, org.id, [...new Set(due.map((d) => d.productId))])
  const recipients = managers
    .map((m) => ({ email: m.email, language: m.language, lines: linesFor(due, m, org, catalog, m.language) }))
    .filter((r) => r.lines.length > 0)
  const notice = { key: `ecode-expiry:${org.id}:${isoDay(now, org.timeZone)}`, orgId: org.id, kind: NOTICE_KIND }
  const url = `${config.baseUrl}/o/${org.slug}/ecodes?tab=active`
  const linesOf = new Map(recipients.map((r) => [r.email, r.lines]))
  const mail = (r: Recipient) => ecodeExpiryMail({ lang: r.language, vendor: config.vendorName }, { org: org.name, lines: linesOf.get(r.email)!, url })
  return sendNotice(deps, notice, mail, now, recipients)
}
