// Seeds a fresh database file at a realistic scale for the benchmark: the demo catalog (never the demo accounts: production refuses them),
// then activated users (one scrypt hash shared by all, hashing 10k would take minutes), their orgs and
// consents, sessions (fresh, older and expired-but-not-yet-purged), outbox rows and job runs; a few
// history rows for every org; and one big org ("bench-big") subscribed to five products (the three
// subscription products of the demo catalog and two bench products added here), with a year of
// usage events, 100,000 history rows, an API key and signed-in administrator sessions, and 100,000
// e-codes across statuses (bench/seed-ecodes.ts), the used ones redeemed by the first bench org.
import { loadConfig } from '../src/config'
import { DAY, HOUR, MINUTE } from '../src/clock'
import { migrateDatabase, openLocalDatabase } from '../src/db/local'
import { consents, history, jobRuns, memberships, orgs, outbox, sessions, users } from '../src/db/schema'
import { hashPassword } from '../src/auth/password'
import { sessionEnd } from '../src/auth/session'
import { generateId, generateToken, hashToken } from '../src/auth/tokens'
import type { Db } from '../src/db/client'
import { DEMO_CATALOG, insertCatalog } from '../src/seed/catalog'
import { type Scale, DEFAULT_SCALE, BENCH_PASSWORD, type Seeded, HISTORY_KINDS, ROWS_PER_INSERT, chunk, insertAll, random } from './seed-rows'
import { seedBigOrg } from './seed-org'
import { seedECodes } from './seed-ecodes'
import { PRODUCTION_ENV } from './production-env'

export { BENCH_PASSWORD, DEFAULT_SCALE, type BigOrg, type Scale, type Seeded } from './seed-rows'
export { BENCH_CATALOG } from './seed-org'

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

/** A fresh database file, migrated and seeded, its WAL folded in. */
export async function seedBenchDatabase(path: string, scale: Scale = DEFAULT_SCALE): Promise<Seeded> {
  const started = performance.now()
  const { db, client } = await openLocalDatabase(path)
  try {
    await migrateDatabase(db)
    const seeded = await seedBench(db, scale)
    // Fold the WAL into the file, as a long-running installation's checkpoints would have (no
    // ANALYZE: the app never runs it, so the planner works without statistics, as in production).
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    return { ...seeded, seconds: (performance.now() - started) / 1000 }
  } finally {
    client.close()
  }
}

/** Seeds a migrated, empty database through any client (a file, or a libSQL server over HTTP as bench/worker.ts does). */
export async function seedBench(db: Db, scale: Scale): Promise<Seeded> {
  const started = performance.now()
  const config = loadConfig({ ...PRODUCTION_ENV })
  // The demo catalog, as an operator would have set up a catalog; never the demo accounts, whose
  // published passwords production refuses to run with (src/seed/demo-accounts.ts).
  await insertCatalog(db, DEMO_CATALOG, new Date())

  const now = Date.now()
  const rnd = random(42)
  const passwordHash = await hashPassword(BENCH_PASSWORD, config.passwordCost)

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
  // causes no write (a write is due once an hour):
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
      expiresAt = sessionEnd({ remember, createdAt: new Date(createdAt), lastSeenAt: new Date(lastSeenAt) }).getTime()
      freshTokens.push(token)
    } else if (kind < 0.9) {
      // older, still valid (remembered) or recently ended (not remembered)
      createdAt = now - Math.floor((1 + rnd() * 25) * DAY)
      lastSeenAt = createdAt + Math.floor(rnd() * (now - createdAt))
      expiresAt = sessionEnd({ remember, createdAt: new Date(createdAt), lastSeenAt: new Date(lastSeenAt) }).getTime()
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
  const ecodesStarted = performance.now()
  const receiver = orgRows[0]!
  const ecodeRows = await seedECodes(db, { orgId: big.id, receiverOrgId: receiver.id!, now, rnd, count: scale.bigECodes, secrets: config.ecodeSecrets, timeZone: big.timeZone })
  const ecodesSeconds = (performance.now() - ecodesStarted) / 1000

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
    ecodes: { ...ecodeRows, receiverOrg: { id: receiver.id!, name: receiver.name! }, seconds: ecodesSeconds },
    generator: { orgId: orgRows[1]!.id!, slug: orgRows[1]!.slug!, adminId: userRows[scale.usersPerOrg]!.id! },
    seconds: (performance.now() - started) / 1000,
  }
}
