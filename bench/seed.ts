// Seeds a fresh database file at a realistic scale for the benchmark: the demo data of `npm start`,
// then activated users (one scrypt hash shared by all, hashing 10k would take minutes), their orgs and
// consents, sessions (fresh, older and expired-but-not-yet-purged), outbox rows and job runs; a few
// history rows for every org; and one big org ("bench-big") subscribed to five products (the three
// subscription products of the demo catalog and two bench products added here), with a year of
// usage events, 100,000 history rows, an API key and signed-in administrator sessions.
import { loadConfig } from '../src/config'
import { systemClock, DAY, HOUR, MINUTE } from '../src/clock'
import { migrateDatabase, openLocalDatabase } from '../src/db/local'
import type { BatchItem, Db } from '../src/db/client'
import { apiKeys, consents, history, jobRuns, licences, memberships, orgs, outbox, sessions, subscriptions, usageEvents, users } from '../src/db/schema'
import { loadCatalog } from '../src/db/catalog'
import { catalogStatements } from '../src/seed/catalog'
import { snapshotOf } from '../src/services/subscriptions'
import { API_KEY_PREFIX } from '../src/services/api-keys'
import { generateLicenceNumber } from '../src/domain/licence-number'
import { localMonth } from '../src/domain/time'
import { hashPassword } from '../src/auth/password'
import { REMEMBER_FOR, SESSION_WITHOUT_REMEMBER } from '../src/auth/session'
import { generateId, generateToken, hashToken } from '../src/auth/tokens'
import type { Deps } from '../src/deps'
import { seedDemo } from '../src/seed/index'

export type Scale = {
  users: number
  sessions: number
  outbox: number
  jobRuns: number
  usersPerOrg: number
  /** History rows of every bench org (org created, members added, …). */
  historyPerOrg: number
  /** The big org: its history rows, members, and usage events per month for 12 months. */
  bigHistory: number
  bigMembers: number
  bigUsagePerMonth: number
  bigUsageMonths: number
}

export const DEFAULT_SCALE: Scale = {
  users: 10_000,
  sessions: 20_000,
  outbox: 50_000,
  jobRuns: 21_600,
  usersPerOrg: 4,
  historyPerOrg: 8,
  bigHistory: 100_000,
  bigMembers: 5,
  bigUsagePerMonth: 3_000,
  bigUsageMonths: 12,
}

export const BENCH_PASSWORD = 'bench-correct-horse-battery'

/** The big org the dashboard, vendor API and history scenarios use. */
export type BigOrg = {
  slug: string
  id: string
  name: string
  /** Cookie tokens of its administrator's fresh sessions. */
  adminTokens: string[]
  /** A live API key of the org (Authorization: Bearer …). */
  apiKey: string
  /** The five products it is subscribed to: key, name and quota keys in dashboard order. */
  products: { key: string; name: string; quotas: { key: string; kind: string }[] }[]
  members: number
  /** Seeded use this month of each monthly quota and in all of each total quota, by "product/quota". */
  used: Record<string, number>
  usageEvents: number
  usageThisMonth: number
  historyRows: number
  /** The quota POST /api/v1/usage reports to (monthly, with a limit far above what the bench sends). */
  usageTarget: { product: string; quota: string; limit: number }
}

export type Seeded = {
  scale: Scale & { orgs: number; consents: number; freshSessions: number; historyRows: number; usageEvents: number }
  /** Cookie tokens of sessions that are valid and need no write when used during the run. */
  freshTokens: string[]
  /** E-mail addresses of the seeded (activated) users. */
  emails: string[]
  big: BigOrg
  seconds: number
}

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

const HISTORY_KINDS = [
  ['member.permissions_changed', 20],
  ['org.updated', 8],
  ['api_key.created', 6],
  ['api_key.revoked', 4],
  ['member.added', 10],
  ['member.invited', 12],
  ['member.joined', 8],
  ['member.role_changed', 5],
  ['plan.activated', 2],
  ['plan.granted', 2],
] as const

/** Rows per INSERT: well under SQLite's 32,766 bound variables for the widest table (outbox, 15 columns). */
const ROWS_PER_INSERT = 500
/** INSERT statements per atomic batch (one transaction). */
const INSERTS_PER_BATCH = 10

function chunk<T>(rows: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

async function insertAll(db: Db, statements: BatchItem[]) {
  for (const group of chunk(statements, INSERTS_PER_BATCH)) {
    await db.batch(group as [BatchItem, ...BatchItem[]])
  }
}

/** A deterministic pseudo-random sequence, so two runs seed the same shapes. */
function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function benchEmail(i: number) {
  return `bench-${String(i).padStart(5, '0')}@example.com`
}

const MAIL_HTML = `<!doctype html><html><body style="font-family:sans-serif;background:#f6f6f6;margin:0;padding:24px">
<table role="presentation" width="100%"><tr><td align="center"><table role="presentation" width="560" style="background:#fff;padding:32px">
<tr><td><h1 style="font-size:20px;margin:0 0 16px">Activate your Kontor account</h1>
<p style="font-size:15px;line-height:1.5">Hello, thank you for registering. Open the link below and press the button to activate
your account. The link is valid for 48 hours; if you did not register, ignore this message.</p>
<p><a href="https://panel.example.com/activate/REPLACE" style="background:#1a56db;color:#fff;padding:10px 18px;text-decoration:none">Activate</a></p>
<p style="font-size:12px;color:#666">Kontor · ul. Przykładowa 1 · 00-001 Warszawa</p></td></tr></table></td></tr></table></body></html>`
const MAIL_TEXT = `Activate your Kontor account

Hello, thank you for registering. Open the link below and press the button to activate your account.
The link is valid for 48 hours; if you did not register, ignore this message.

https://panel.example.com/activate/REPLACE
`

export async function seedBenchDatabase(path: string, scale: Scale = DEFAULT_SCALE): Promise<Seeded> {
  const started = performance.now()
  const { db, client } = await openLocalDatabase(path)
  try {
    await migrateDatabase(db)
    const config = loadConfig({ KONTOR_ENV: 'production' })
    const deps: Deps = { db, clock: systemClock, config, mailer: null }
    // The demo data `npm start` seeds once, so every timed start of the server finds it already there.
    await seedDemo(deps)

    const now = Date.now()
    const rnd = random(42)
    const passwordHash = await hashPassword(BENCH_PASSWORD)

    // Users and their orgs.
    const emails: string[] = []
    const userRows: (typeof users.$inferInsert)[] = []
    for (let i = 0; i < scale.users; i++) {
      const email = benchEmail(i)
      emails.push(email)
      const createdAt = new Date(now - Math.floor(rnd() * 365 * DAY))
      userRows.push({
        id: generateId(),
        email,
        name: `Bench User ${i}`,
        language: (['en', 'pl', 'it'] as const)[i % 3]!,
        passwordHash,
        activatedAt: new Date(createdAt.getTime() + 10 * MINUTE),
        isOperator: false,
        createdAt,
      })
    }
    const orgRows: (typeof orgs.$inferInsert)[] = []
    const membershipRows: (typeof memberships.$inferInsert)[] = []
    for (let i = 0; i < userRows.length; i++) {
      const user = userRows[i]!
      if (i % scale.usersPerOrg === 0) {
        const n = orgRows.length
        orgRows.push({
          id: generateId(),
          slug: `bench-org-${n}`,
          name: `Bench Org ${n} sp. z o.o.`,
          country: 'PL',
          legalForm: 'company',
          taxId: `PL${String(1_000_000_000 + n)}`,
          addressLine: `ul. Testowa ${n}`,
          postalCode: '00-001',
          city: 'Warszawa',
          billingEmail: user.email,
          einvoiceId: null,
          timeZone: 'Europe/Warsaw',
          createdAt: user.createdAt,
        })
      }
      membershipRows.push({ orgId: orgRows[orgRows.length - 1]!.id!, userId: user.id, role: i % scale.usersPerOrg === 0 ? 'admin' : 'member', createdAt: user.createdAt })
    }
    const consentRows = userRows.flatMap((u) => [
      { userId: u.id, kind: 'terms' as const, version: config.termsVersion, acceptedAt: u.createdAt },
      { userId: u.id, kind: 'privacy' as const, version: config.privacyVersion, acceptedAt: u.createdAt },
    ])

    // Sessions. "Fresh" ones are valid and were seen within the last half hour, so using them
    // causes no write (a write is due once an hour, or once a day for a remembered session):
    // the benchmark measures the steady state. The others are older, renewable or expired rows
    // a real table holds until the daily purge.
    const freshTokens: string[] = []
    const sessionRows: (typeof sessions.$inferInsert)[] = []
    for (let i = 0; i < scale.sessions; i++) {
      const user = userRows[i % userRows.length]!
      const token = generateToken()
      const kind = rnd()
      const remember = rnd() < 0.6
      let createdAt: number, lastSeenAt: number, expiresAt: number
      if (kind < 0.4) {
        // fresh
        createdAt = now - Math.floor(rnd() * (remember ? 20 * HOUR : 6 * HOUR))
        lastSeenAt = Math.max(createdAt, now - Math.floor(rnd() * 30 * MINUTE))
        expiresAt = createdAt + (remember ? REMEMBER_FOR : SESSION_WITHOUT_REMEMBER)
        freshTokens.push(token)
      } else if (kind < 0.9) {
        // older, still valid (remembered) or recently ended (not remembered)
        createdAt = now - Math.floor((1 + rnd() * 25) * DAY)
        lastSeenAt = createdAt + Math.floor(rnd() * (now - createdAt))
        expiresAt = remember ? lastSeenAt + REMEMBER_FOR : createdAt + SESSION_WITHOUT_REMEMBER
      } else {
        // expired, waiting for the purge
        createdAt = now - Math.floor((31 + rnd() * 5) * DAY)
        lastSeenAt = createdAt + Math.floor(rnd() * DAY)
        expiresAt = now - Math.floor(rnd() * DAY) - MINUTE
      }
      sessionRows.push({
        id: hashToken(token),
        userId: user.id,
        remember,
        twoFactorVerified: false,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
        createdAt: new Date(createdAt),
        lastSeenAt: new Date(lastSeenAt),
        expiresAt: new Date(expiresAt),
      })
    }

    // Outbox: mostly sent mail of the last 90 days, a few failed and pending.
    const outboxRows: (typeof outbox.$inferInsert)[] = []
    for (let i = 0; i < scale.outbox; i++) {
      const createdAt = now - Math.floor(rnd() * 90 * DAY)
      const r = rnd()
      const status = r < 0.97 ? ('sent' as const) : r < 0.99 ? ('failed' as const) : ('pending' as const)
      const token = generateId()
      outboxRows.push({
        id: generateId(),
        to: emails[i % emails.length]!,
        template: 'activation',
        language: 'en',
        subject: 'Activate your Kontor account',
        html: MAIL_HTML.replace('REPLACE', token),
        text: MAIL_TEXT.replace('REPLACE', token),
        status,
        attempts: status === 'failed' ? 10 : status === 'sent' ? 1 : 0,
        nextAttemptAt: new Date(createdAt),
        lockedUntil: null,
        lastError: status === 'failed' ? 'Resend answered 422: invalid recipient' : null,
        providerId: status === 'sent' ? `re_${token}` : null,
        createdAt: new Date(createdAt),
        sentAt: status === 'sent' ? new Date(createdAt + 2 * MINUTE) : null,
      })
    }

    // Job runs: the mail job every 2 minutes (30 days of them at the default scale), purges daily.
    const jobRows: (typeof jobRuns.$inferInsert)[] = []
    for (let i = 0; i < scale.jobRuns; i++) {
      const at = now - (i + 1) * 2 * MINUTE
      jobRows.push({ job: 'mail', asOf: new Date(at), startedAt: new Date(at), finishedAt: new Date(at + 40), status: 'ok', counts: { sent: i % 7 === 0 ? 1 : 0, failed: 0 } })
      if (i % 720 === 0) {
        jobRows.push({ job: 'purges', asOf: new Date(at), startedAt: new Date(at), finishedAt: new Date(at + 300), status: 'ok', counts: { users: 0, sessions: 12, tokens: 3, throttle: 40 } })
      }
    }

    await insertAll(db, chunk(userRows, ROWS_PER_INSERT).map((rows) => db.insert(users).values(rows)))
    await insertAll(db, chunk(orgRows, ROWS_PER_INSERT).map((rows) => db.insert(orgs).values(rows)))
    await insertAll(db, chunk(membershipRows, ROWS_PER_INSERT).map((rows) => db.insert(memberships).values(rows)))
    await insertAll(db, chunk(consentRows, ROWS_PER_INSERT).map((rows) => db.insert(consents).values(rows)))
    await insertAll(db, chunk(sessionRows, ROWS_PER_INSERT).map((rows) => db.insert(sessions).values(rows)))
    await insertAll(db, chunk(outboxRows, ROWS_PER_INSERT).map((rows) => db.insert(outbox).values(rows)))
    await insertAll(db, chunk(jobRows, ROWS_PER_INSERT).map((rows) => db.insert(jobRuns).values(rows)))
    const big = await seedBigOrg(db, { now, rnd, passwordHash, scale, termsVersion: config.termsVersion, privacyVersion: config.privacyVersion })

    // A few history rows for every bench org, as their creation and membership changes left them.
    const historyRows: (typeof history.$inferInsert)[] = []
    for (let o = 0; o < orgRows.length; o++) {
      const org = orgRows[o]!
      const admin = userRows[o * scale.usersPerOrg]!
      const actor = { actorType: 'user' as const, actorId: admin.id, actorLabel: `${admin.name} <${admin.email}>` }
      const created = (org.createdAt as Date).getTime()
      for (let k = 0; k < scale.historyPerOrg; k++) {
        const [kind] = k === 0 ? ['org.created'] : HISTORY_KINDS[Math.floor(rnd() * HISTORY_KINDS.length)]!
        historyRows.push({ orgId: org.id!, at: new Date(created + k * Math.floor(rnd() * DAY)), ...actor, kind, subjectType: 'org', subjectId: org.id!, details: { name: org.name } })
      }
    }
    historyRows.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime())
    await insertAll(db, chunk(historyRows, ROWS_PER_INSERT).map((rows) => db.insert(history).values(rows)))

    // Fold the WAL into the file, as a long-running installation's checkpoints would have (no
    // ANALYZE: the app never runs it, so the planner works without statistics, as in production).
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)')

    return {
      scale: {
        ...scale,
        jobRuns: jobRows.length,
        orgs: orgRows.length + 1,
        consents: consentRows.length,
        freshSessions: freshTokens.length,
        historyRows: historyRows.length + big.historyRows,
        usageEvents: big.usageEvents,
      },
      freshTokens,
      emails,
      big,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    client.close()
  }
}

/** The big org: five subscriptions with licences, members, a year of usage, 100,000 history rows, an API key. */
async function seedBigOrg(
  db: Db,
  o: { now: number; rnd: () => number; passwordHash: string; scale: Scale; termsVersion: string; privacyVersion: string },
): Promise<BigOrg> {
  const { now, rnd, scale } = o
  const nowDate = new Date(now)
  await db.batch(catalogStatements(db, BENCH_CATALOG, nowDate) as [BatchItem, ...BatchItem[]])
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
  let thisMonth = 0
  let monthEnd = now
  for (let m = 0; m < scale.bigUsageMonths; m++) {
    const month = localMonth(new Date(monthEnd - 1), timeZone)
    const start = month.start.getTime()
    for (let i = 0; i < scale.bigUsagePerMonth; i++) {
      const q = monthly[i % monthly.length]!
      usageRows.push({ orgId, productId: q.productId, quotaKey: q.key, quantity: 1, at: new Date(start + Math.floor(rnd() * (monthEnd - start))), idempotencyKey: `seed-${usageRows.length}` })
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
    }
    used[`${q.productKey}/${q.key}`] = level
  }
  usageRows.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime())
  await insertAll(db, chunk(usageRows, ROWS_PER_INSERT).map((rows) => db.insert(usageEvents).values(rows)))

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
