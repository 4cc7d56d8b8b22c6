// What every request reads before its page, in ONE batch (one round trip to Turso): the test clock
// (outside production), the session and its user, the user's orgs — with, for the org named in the
// path (/o/:slug/…), its pending requests and read-only subscriptions, so the tenant check needs no
// read of its own —, the account page's session list, for an operator the org a back-office path
// names (/ops/orgs/:id/…), and the catalog's version when the cached copy is due for a check. Rows that belong to the session are found through the session id in the
// statements themselves, so nothing waits for the session to be read first; they are used only if
// the session turns out valid.
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import type { BatchItem, Db } from '../db/client'
import { bindPrepared } from '../db/prepared'
import { memberships, orgRequests, orgs, sessions, users } from '../db/schema'
import { catalogCheckDue, catalogVersionQuery, noteCatalogVersion } from '../db/catalog-cache'
import { hashToken } from '../auth/tokens'
import { sessionQuery, settleSession, type Session, type User, type ValidSession } from '../auth/session'
import { testClockAllowed, testClockQuery, timeFromOffset, type AppTime } from './test-clock'
import { parseReadOnlyRows, readOnlyRowsJson, type ReadOnlyRow } from './read-only'
import type { Org, Role } from './orgs'

/**
 * One of the user's orgs; `pending` (its requests inbox, of which `pendingReports` are mistake reports
 * on vouchers) and `readOnlyRows` only for the org the path names — the counts for its administrators.
 */
export type MemberOrg = Org & { role: Role; pending: number | null; pendingReports: number | null; readOnlyRows: ReadOnlyRow[] | null }

export type RequestContext = AppTime & {
  /** The valid session, or null (none, unknown, expired). */
  session: ValidSession | null
  orgs: MemberOrg[]
  /** The user's sessions, newest first, when the path is the account page. */
  userSessions: Session[] | null
  /** Under /ops/orgs/:id, for an operator: the org the path names (live or deleted), or null. */
  opsOrg: Org | null
}

/** The org slug a tenant path names: /o/:slug/…. */
export function tenantSlug(path: string): string | null {
  const m = /^\/o\/([^/]+)/.exec(path)
  if (!m) return null
  try {
    return decodeURIComponent(m[1]!)
  } catch {
    return null
  }
}

/**
 * The user's orgs through the session id; for the org the path names (placeholder `slug`, '' for
 * none) its inbox counts and read-only subscriptions. Prepared once: every signed-in request runs it.
 */
const userOrgs = (db: Db) => {
  const here = sql`${orgs.slug} = ${sql.placeholder('slug')}`
  return db
    .select({
      org: orgs,
      role: memberships.role,
      pending: sql<number | null>`case when ${here} and ${memberships.role} = 'admin' then (select count(*) from ${orgRequests} r where r.org_id = ${orgs.id} and r.status = 'pending') end`,
      pendingReports: sql<number | null>`case when ${here} and ${memberships.role} = 'admin' then (select count(*) from ${orgRequests} r where r.org_id = ${orgs.id} and r.status = 'pending' and r.kind = 'ecode_report') end`,
      readOnly: sql<string | null>`case when ${here} then ${readOnlyRowsJson(orgs.id)} end`,
    })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(and(eq(memberships.userId, sql`(select ${sessions.userId} from ${sessions} where ${sessions.id} = ${sql.placeholder('sessionId')})`), isNull(orgs.deletedAt)))
    .orderBy(asc(orgs.name))
}

function userOrgsQuery(deps: Deps, sessionId: string, slug: string | null) {
  return bindPrepared(deps.db, userOrgs, { sessionId, slug: slug ?? '' })
}

/** The user's sessions, for the account page. Prepared once, like userOrgs. */
const sessionsOfUser = (db: Db) =>
  db
    .select()
    .from(sessions)
    .where(eq(sessions.userId, sql`(select s.user_id from ${sessions} s where s.id = ${sql.placeholder('sessionId')})`))
    .orderBy(desc(sessions.lastSeenAt))

function sessionsOfUserQuery(deps: Deps, sessionId: string) {
  return bindPrepared(deps.db, sessionsOfUser, { sessionId })
}

/** The org id a back-office org path names: /ops/orgs/:id/…. */
export function opsOrgId(path: string): string | null {
  const m = /^\/ops\/orgs\/([^/]+)/.exec(path)
  if (!m) return null
  try {
    return decodeURIComponent(m[1]!)
  } catch {
    return null
  }
}

/** The org by id, read only if the session is an operator's: nobody else's request reads it at all. */
function opsOrgQuery(deps: Deps, sessionId: string, orgId: string) {
  const operator = sql`exists (select 1 from ${sessions} s join ${users} u on u.id = s.user_id where s.id = ${sessionId} and u.is_operator = 1)`
  return deps.db.select().from(orgs).where(and(eq(orgs.id, orgId), operator)).limit(1)
}

type Row = Record<string, unknown>

export async function readRequestContext(deps: Deps, input: { token: string | undefined; path: string; real: Date }): Promise<RequestContext> {
  const { db } = deps
  const sessionId = input.token ? hashToken(input.token) : null
  const slug = tenantSlug(input.path)
  const opsOrg = opsOrgId(input.path)
  const reads: { key: 'clock' | 'session' | 'orgs' | 'userSessions' | 'opsOrg' | 'catalog'; query: BatchItem }[] = []
  // The vendor API without a session reads the test clock with its key (src/routes/api.ts).
  const clockLater = input.path.startsWith('/api/') && !sessionId
  if (testClockAllowed(deps.config) && !clockLater) reads.push({ key: 'clock', query: testClockQuery(db) })
  if (sessionId) {
    reads.push({ key: 'session', query: sessionQuery(db, sessionId) })
    reads.push({ key: 'orgs', query: userOrgsQuery(deps, sessionId, slug) })
    if (input.path === '/account') reads.push({ key: 'userSessions', query: sessionsOfUserQuery(deps, sessionId) })
    if (opsOrg) reads.push({ key: 'opsOrg', query: opsOrgQuery(deps, sessionId, opsOrg) })
  }
  const checkCatalog = catalogCheckDue(db, input.real.getTime())
  if (checkCatalog) reads.push({ key: 'catalog', query: catalogVersionQuery(db) })

  const results = new Map<string, Row[]>()
  if (reads.length > 0) {
    const out = (await db.batch(reads.map((r) => r.query) as [BatchItem, ...BatchItem[]])) as unknown as Row[][]
    reads.forEach((r, i) => results.set(r.key, out[i]!))
  }
  if (checkCatalog) noteCatalogVersion(db, (results.get('catalog')?.[0] as { version: number } | undefined)?.version, input.real.getTime())

  const time = timeFromOffset(results.get('clock')?.[0] as { value: string } | undefined, input.real)
  const found = results.get('session')?.[0] as { session: Session; user: User } | undefined
  const session = found ? await settleSession(db, found, time.now) : null
  if (!session) return { ...time, session: null, orgs: [], userSessions: null, opsOrg: null }
  const orgRows = (results.get('orgs') ?? []) as { org: Org; role: Role; pending: number | null; pendingReports: number | null; readOnly: string | null }[]
  return {
    ...time,
    session,
    orgs: orgRows.map((r) => ({
      ...r.org,
      role: r.role,
      pending: r.pending === null ? null : Number(r.pending),
      pendingReports: r.pendingReports === null ? null : Number(r.pendingReports),
      readOnlyRows: parseReadOnlyRows(r.readOnly),
    })),
    userSessions: (results.get('userSessions') as Session[] | undefined) ?? null,
    opsOrg: (results.get('opsOrg')?.[0] as Org | undefined) ?? null,
  }
}
