// Free plans that nobody uses (SPEC §8), a step of the daily renewals job. A free plan is valid 12
// months from the last sign-in of any member (or its activation), so every sign-in moves its end
// (src/domain/lapse.ts). The administrators are warned 30 and 7 days before; each warning is a
// notice keyed by the validity date, so a sign-in that moves the date starts a new cycle. At the date
// it lapses by the product's policy: `read_only_then_delete` → read-only, the validity date being the
// lapse date the deletion counts from; `downgrade_to_free` → the subscription ends with its licence
// valid until that date (activating the free plan again is one click). One conditional update — still
// active, still free, and nobody signed in since the read — gates the history row and the mails.
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { BatchItem } from '../db/client'
import { licences, orgs, subscriptions } from '../db/schema'
import type { CatalogProduct } from '../db/catalog'
import { recordHistoryIfChanged, systemActor } from '../db/history'
import { deletionDate, freeScanBound, freeValidUntil, freeWarningDue } from '../domain/lapse'
import { enqueueMailIfChanged } from '../mail/outbox'
import type { RenderedMail } from '../mail/templates/layout'
import { freeEndedMail, freeReadOnlyMail, freeWarningMail, lapseLinks } from '../mail/templates/lapse'
import { count, type StepContext } from './steps'
import { eachSubscription } from './steps'
import { orgAdmins, sendNotice, type Recipient } from './notices'
import type { Subscription } from './subscriptions'
import type { Org } from './orgs'

/**
 * Active free plans of orgs nobody has signed in to for about 11 months, a page at a time by id. SQL
 * narrows to a coarse bound on the later of the last sign-in and the plan's start (the status index
 * serves the rest); the exact dates are computed per row in the org's zone.
 */
export function lapseIdleFreePlans(x: StepContext): Promise<void> {
  const s = subscriptions
  const where = and(
    eq(s.status, 'active'),
    isNull(s.periodEnd),
    sql`json_extract(${s.snapshot}, '$.isFree') = 1`,
    sql`max(coalesce(${orgs.lastLoginAt}, ${s.periodStart}), ${s.periodStart}) <= ${freeScanBound(x.now).getTime()}`,
  )!
  return eachSubscription(x, { where, order: [s.id], after: ({ sub }) => gt(s.id, sub.id), label: 'free plan' }, ({ sub, org }, product) =>
    idleFreePlan({ x, sub, org, product, validUntil: freeValidUntil(org.lastLoginAt, sub.periodStart, org.timeZone) }),
  )
}

type Idle = { x: StepContext; sub: Subscription; org: Org; product: CatalogProduct; validUntil: Date }

async function idleFreePlan(i: Idle): Promise<void> {
  const { x, sub, org, product, validUntil } = i
  const lapsing = x.now.getTime() >= validUntil.getTime()
  const days = lapsing ? null : freeWarningDue(validUntil, x.now, org.timeZone)
  // Most rows the coarse bound lets through owe nothing yet.
  if (!lapsing && days === null) return
  const admins = await orgAdmins(x.deps.db, org.id)
  const to = (r: Recipient) => ({ lang: r.language, vendor: x.deps.config.vendorName, timeZone: org.timeZone })
  const about = { product: product.name, org: org.name, plan: sub.snapshot.planName, date: validUntil }
  const links = lapseLinks(x.deps.config.baseUrl, org.slug, product.key)
  const readOnly = product.lapsePolicy === 'read_only_then_delete'
  const deletes = deletionDate(validUntil, product.graceDays, org.timeZone)

  if (days !== null) {
    const notice = { key: `free-plan:${sub.id}:${validUntil.getTime()}:${days}`, orgId: org.id, kind: 'lapse.free_warning' }
    const render = (r: Recipient) => freeWarningMail(to(r), { ...about, deletes: readOnly ? deletes : null, url: links.signIn })
    if (!(await sendNotice(x.deps, notice, render, x.now, admins))) return
    count(x, 'free_warned')
    count(x, 'free_mailed', admins.length)
    return
  }

  if (readOnly) {
    const free = { plan: sub.snapshot.planName, url: links.freePlan }
    const render = (r: Recipient) => freeReadOnlyMail(to(r), { ...about, deletes, buyUrl: links.buy, free })
    return lapse(i, admins, 'read_only', { outcome: 'read_only', deletesAt: deletes.toISOString() }, 'lapse.free_read_only', render)
  }
  const licence = await x.deps.db.select({ number: licences.number }).from(licences).where(eq(licences.subscriptionId, sub.id)).get()
  const render = (r: Recipient) => freeEndedMail(to(r), { ...about, licence: licence?.number ?? '—', url: links.products })
  return lapse(i, admins, 'ended', { outcome: 'ended', ...(licence ? { licence: licence.number } : {}) }, 'lapse.free_ended', render)
}

/**
 * The lapse at the validity date, which becomes the period end (the lapse date for read-only; the
 * end of the licence's validity otherwise). The history row and the mails follow the change through
 * changes(); the licence's end is written only once the subscription has ended.
 */
async function lapse(
  { x, sub, org, product, validUntil }: Idle,
  admins: Recipient[],
  status: 'read_only' | 'ended',
  details: Record<string, unknown>,
  template: string,
  render: (r: Recipient) => RenderedMail,
): Promise<void> {
  const { db } = x.deps
  const s = subscriptions
  const signedInSince = sql`coalesce((select ${orgs.lastLoginAt} from ${orgs} where ${orgs.id} = ${org.id}), 0) > ${org.lastLoginAt?.getTime() ?? 0}`
  const statements: BatchItem[] = [
    db
      .update(s)
      .set({ status, periodEnd: validUntil, autoRenew: false })
      .where(and(eq(s.id, sub.id), eq(s.status, 'active'), isNull(s.periodEnd), eq(s.planId, sub.planId), sql`not (${signedInSince})`)),
    recordHistoryIfChanged(db, {
      orgId: org.id,
      actor: systemActor('renewals'),
      kind: 'plan.free_lapsed',
      subject: { type: 'subscription', id: sub.id },
      details: { product: product.name, plan: sub.snapshot.planName, lastSignIn: (org.lastLoginAt ?? sub.periodStart).toISOString(), ...details },
      at: x.now,
    }),
    ...admins.map((r) => enqueueMailIfChanged(db, { to: r.email, language: r.language, template, mail: render(r), now: x.now })),
  ]
  if (status === 'ended') {
    statements.push(
      db
        .update(licences)
        .set({ validUntil })
        .where(and(eq(licences.subscriptionId, sub.id), sql`exists (select 1 from ${s} where ${s.id} = ${sub.id} and ${s.status} = 'ended')`)),
    )
  }
  const [changed] = await db.batch(statements as [BatchItem, ...BatchItem[]])
  if (changed.rowsAffected !== 1) return
  count(x, 'free_lapsed')
  count(x, 'free_mailed', admins.length)
}
