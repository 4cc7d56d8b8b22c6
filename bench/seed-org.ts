// The big org of the bench ("bench-big"): five subscriptions (the demo catalog's three subscription
// products and the two bench products defined here) with licences, members, a year of usage events,
// 100,000 history rows, an API key and signed-in administrator sessions.
import { eq } from 'drizzle-orm'
import { DAY, HOUR, MINUTE } from '../src/clock'
import type { Db } from '../src/db/client'
import { apiKeys, consents, history, licences, memberships, orgs, sessions, subscriptions, usageEvents, usageTotals, users } from '../src/db/schema'
import { loadCatalog } from '../src/db/catalog'
import { catalogStatements, insertCatalog } from '../src/seed/catalog'
import { snapshotOf } from '../src/services/subscriptions'
import { API_KEY_PREFIX } from '../src/services/api-keys'
import { generateLicenceNumber } from '../src/domain/licence-number'
import { localMonth } from '../src/domain/time'
import { REMEMBER_FOR } from '../src/auth/session'
import { generateId, generateToken, hashToken } from '../src/auth/tokens'
import { type Scale, type BigOrg, HISTORY_KINDS, ROWS_PER_INSERT, chunk, insertAll } from './seed-rows'

const quota = (key: string, kind: 'monthly' | 'total' | 'seats', en: string) => ({ key, kind, label: { en, pl: en, it: en } })

/**
 * Two subscription products for the bench, so an org can hold five subscriptions with meters (the
 * demo catalog has four products, but SimplySign is virtual: activated from e-codes, never subscribed).
 */
export const BENCH_CATALOG: Parameters<typeof catalogStatements>[1] = [
  {
    key: 'bench-archive',
    name: 'Archiwum',
    kind: 'subscription',
    currency: 'PLN',
    description: { en: 'Document archive (bench product).', pl: 'Archiwum dokumentów (produkt testowy).', it: 'Archivio documenti (prodotto di prova).' },
    billingPeriods: [1, 12],
    lapsePolicy: 'downgrade_to_free',
    quotas: [quota('documents', 'monthly', 'archived documents'), quota('archive_gb', 'total', 'GB of archive'), quota('users', 'seats', 'users')],
    plans: [
      { key: 'free', name: 'Free', free: true, prices: {}, limits: { documents: 50, archive_gb: 1, users: 1 } },
      { key: 'business', name: 'Business', prices: { 1: 9900, 12: 99000 }, limits: { documents: 20_000, archive_gb: 500, users: 50 } },
    ],
  },
  {
    key: 'bench-forms',
    name: 'Formularze',
    kind: 'subscription',
    currency: 'PLN',
    description: { en: 'Online forms (bench product).', pl: 'Formularze online (produkt testowy).', it: 'Moduli online (prodotto di prova).' },
    billingPeriods: [1, 12],
    lapsePolicy: 'downgrade_to_free',
    quotas: [quota('submissions', 'monthly', 'form submissions'), quota('forms', 'total', 'forms'), quota('users', 'seats', 'users')],
    plans: [
      { key: 'free', name: 'Free', free: true, prices: {}, limits: { submissions: 100, forms: 3, users: 1 } },
      { key: 'pro', name: 'Pro', prices: { 1: 4900, 12: 49000 }, limits: { submissions: 10_000_000, forms: 200, users: 50 } },
    ],
  },
]

/** The plan the big org holds of each product (a paid one: the free plans' limits are tiny). */
const BIG_PLANS: Record<string, string> = { sekretariat: 'platinum', certyfikaty: 'pro', 'certified-platform': 'base', 'bench-archive': 'business', 'bench-forms': 'pro' }

/** The big org: five subscriptions with licences, members, a year of usage, 100,000 history rows, an API key. */
export async function seedBigOrg(
  db: Db,
  o: { now: number; rnd: () => number; passwordHash: string; scale: Scale; termsVersion: string; privacyVersion: string },
): Promise<BigOrg> {
  const { now, rnd, scale } = o
  const nowDate = new Date(now)
  await insertCatalog(db, BENCH_CATALOG, nowDate)
  const catalog = await loadCatalog(db)
  const subscribed = catalog.filter((p) => p.kind === 'subscription' && BIG_PLANS[p.key])
  if (subscribed.length !== 5) throw new Error(`the bench catalog has ${subscribed.length} subscription products for the big org, not 5`)

  const timeZone = 'Europe/Warsaw'
  const orgId = generateId()
  const slug = 'bench-big'
  const name = 'Bench Big Org S.A.'
  const createdAt = new Date(now - 2 * 365 * DAY)
  const people = Array.from({ length: scale.bigMembers }, (_, i) => ({
    id: generateId(),
    email: `bench-big-${String(i).padStart(2, '0')}@example.com`,
    name: i === 0 ? 'Bench Big Admin' : `Bench Big Member ${i}`,
    language: 'en' as const,
    passwordHash: o.passwordHash,
    activatedAt: createdAt,
    isOperator: false,
    createdAt,
  }))
  const admin = people[0]!
  const adminTokens = Array.from({ length: 16 }, () => generateToken())
  const apiKey = API_KEY_PREFIX + generateToken()

  const subscriptionRows = subscribed.map((product) => {
    const plan = product.plans.find((p) => p.key === BIG_PLANS[product.key])!
    const periodStart = new Date(now - 150 * DAY)
    return {
      id: generateId(),
      orgId,
      productId: product.id,
      planId: plan.id,
      snapshot: snapshotOf(product, plan),
      addonPacks: product.addons.length ? { [product.addons[0]!.quotaKey]: 2 } : {},
      status: 'active' as const,
      periodMonths: 12,
      periodStart,
      periodEnd: new Date(periodStart.getTime() + 365 * DAY),
      source: 'order' as const,
      createdAt: periodStart,
    }
  })
  await db.batch([
    db.insert(orgs).values({
      id: orgId,
      slug,
      name,
      country: 'PL',
      legalForm: 'company',
      taxId: 'PL5260250274',
      addressLine: 'ul. Duża 1',
      postalCode: '00-001',
      city: 'Warszawa',
      billingEmail: admin.email,
      einvoiceId: null,
      timeZone,
      createdAt,
    }),
    db.insert(users).values(people),
    db.insert(consents).values(
      people.flatMap((u) => [
        { userId: u.id, kind: 'terms' as const, version: o.termsVersion, acceptedAt: createdAt },
        { userId: u.id, kind: 'privacy' as const, version: o.privacyVersion, acceptedAt: createdAt },
      ]),
    ),
    db.insert(memberships).values(people.map((u, i) => ({ orgId, userId: u.id, role: i === 0 ? ('admin' as const) : ('member' as const), createdAt }))),
    db.insert(sessions).values(
      adminTokens.map((token) => ({
        id: hashToken(token),
        userId: admin.id,
        remember: true,
        twoFactorVerified: false,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) bench',
        createdAt: new Date(now - 2 * HOUR),
        lastSeenAt: new Date(now - Math.floor(rnd() * 10 * MINUTE)),
        expiresAt: new Date(now - 2 * HOUR + REMEMBER_FOR),
      })),
    ),
    db.insert(apiKeys).values({ id: generateId(), orgId, name: 'bench vendor app', prefix: apiKey.slice(0, 10), hash: hashToken(apiKey), createdBy: admin.id, createdAt }),
    db.insert(subscriptions).values(subscriptionRows),
    db.insert(licences).values(
      subscriptionRows.map((s) => ({ id: generateId(), number: generateLicenceNumber(), orgId, productId: s.productId, subscriptionId: s.id, validFrom: s.periodStart, validUntil: s.periodEnd, createdAt: s.createdAt })),
    ),
  ])

  // Usage: bigUsagePerMonth events a month over the monthly quotas for bigUsageMonths months (this
  // month so far included), quantity 1; and a few +/- changes of each total quota.
  const products = subscribed.map((p) => ({ key: p.key, name: p.name, quotas: p.quotas.map((q) => ({ key: q.key, kind: q.kind })) }))
  const monthly = subscribed.flatMap((p) => p.quotas.filter((q) => q.kind === 'monthly').map((q) => ({ productId: p.id, productKey: p.key, key: q.key })))
  const totals = subscribed.flatMap((p) => p.quotas.filter((q) => q.kind === 'total').map((q) => ({ productId: p.id, productKey: p.key, key: q.key })))
  const used: Record<string, number> = {}
  const usageRows: (typeof usageEvents.$inferInsert)[] = []
  // The usage API's period rows (usage_totals, migration 0026): each period's first report opened one
  // and the triggers kept it equal to the sum, so an org whose usage came through the API has one a period.
  const periods = new Map<string, typeof usageTotals.$inferInsert>()
  const addToPeriod = (productId: string, quotaKey: string, periodStart: number, periodEnd: number, quantity: number) => {
    const key = `${productId}|${quotaKey}|${periodStart}`
    const row = periods.get(key) ?? { orgId, productId, quotaKey, periodStart, periodEnd, used: 0 }
    row.used += quantity
    periods.set(key, row)
  }
  let thisMonth = 0
  let monthEnd = now
  for (let m = 0; m < scale.bigUsageMonths; m++) {
    const month = localMonth(new Date(monthEnd - 1), timeZone)
    const start = month.start.getTime()
    for (let i = 0; i < scale.bigUsagePerMonth; i++) {
      const q = monthly[i % monthly.length]!
      usageRows.push({ orgId, productId: q.productId, quotaKey: q.key, quantity: 1, at: new Date(start + Math.floor(rnd() * (monthEnd - start))), idempotencyKey: `seed-${usageRows.length}` })
      addToPeriod(q.productId, q.key, start, month.end.getTime(), 1)
      if (m === 0) {
        used[`${q.productKey}/${q.key}`] = (used[`${q.productKey}/${q.key}`] ?? 0) + 1
        thisMonth++
      }
    }
    monthEnd = start
  }
  for (const q of totals) {
    let level = 0
    for (let i = 0; i < 24; i++) {
      const quantity = level >= 8 || (level > 0 && rnd() < 0.3) ? -1 : 1
      level += quantity
      usageRows.push({ orgId, productId: q.productId, quotaKey: q.key, quantity, at: new Date(now - Math.floor(rnd() * 365 * DAY)), idempotencyKey: `seed-${usageRows.length}` })
      addToPeriod(q.productId, q.key, 0, 8.64e15, quantity)
    }
    used[`${q.productKey}/${q.key}`] = level
  }
  usageRows.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime())
  // The period rows first: from then on the triggers add each event to its row, as in production.
  await db.insert(usageTotals).values([...periods.values()].map((p) => ({ ...p, used: 0 })))
  await insertAll(db, chunk(usageRows, ROWS_PER_INSERT).map((rows) => db.insert(usageEvents).values(rows)))
  for (const row of await db.select().from(usageTotals).where(eq(usageTotals.orgId, orgId))) {
    const expected = periods.get(`${row.productId}|${row.quotaKey}|${row.periodStart}`)?.used
    if (row.used !== expected) throw new Error(`seeding: usage_totals of ${row.quotaKey} from ${row.periodStart} is ${row.used}, the events sum to ${expected}`)
  }

  // History: bigHistory rows over two years, oldest first (ids grow with time, as appended), by
  // the org's people and now and then the system.
  const weights = HISTORY_KINDS.reduce((n, [, w]) => n + w, 0)
  const pickKind = () => {
    let r = rnd() * weights
    for (const [kind, w] of HISTORY_KINDS) if ((r -= w) < 0) return kind
    return HISTORY_KINDS[0][0]
  }
  const times = Array.from({ length: scale.bigHistory }, () => now - Math.floor(rnd() * 2 * 365 * DAY)).sort((a, b) => a - b)
  // People who acted over two years: today's members and 15 who have since left.
  const actors = [...people, ...Array.from({ length: 15 }, (_, i) => ({ id: generateId(), name: `Former Member ${i}`, email: `former-${i}@example.com` }))]
  const historyRows: (typeof history.$inferInsert)[] = times.map((at, i) => {
    const person = rnd() < 0.05 ? null : actors[Math.floor(rnd() * actors.length)]!
    const kind = pickKind()
    const member = people[i % people.length]!
    return {
      orgId,
      at: new Date(at),
      actorType: person ? ('user' as const) : ('system' as const),
      actorId: person?.id ?? null,
      actorLabel: person ? `${person.name} <${person.email}>` : 'purges',
      kind,
      subjectType: 'user',
      subjectId: member.id,
      details: kind === 'member.permissions_changed' ? { products: products.slice(0, 1 + (i % 5)).map((p) => p.key) } : { email: member.email },
    }
  })
  await insertAll(db, chunk(historyRows, ROWS_PER_INSERT).map((rows) => db.insert(history).values(rows)))

  const target = BENCH_CATALOG[1]!
  return {
    slug,
    id: orgId,
    name,
    timeZone,
    adminTokens,
    apiKey,
    products,
    members: people.length,
    used,
    usageEvents: usageRows.length,
    usageThisMonth: thisMonth,
    historyRows: historyRows.length,
    usageTarget: { product: target.key, quota: 'submissions', limit: target.plans!.find((p) => p.key === 'pro')!.limits.submissions! },
  }
}
