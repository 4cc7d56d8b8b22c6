// Reading an org's e-codes (SPEC §9): a tab's filtered keyset page newest first (the tabs' counts are
// in ./ecode-counts.ts), and one code by id. "Any code past its validity is treated as expired everywhere":
// the Active tab is status 'active' AND not yet expired, the Expired tab is status 'expired' OR an
// active code whose time has passed (the purge job marks those later).
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether, type Db } from '../db/client'
import { ecodes, memberPermissions, orgs, products, variants, type ECodeStatus, type Localized } from '../db/schema'
import { decryptECode, decryptECodeSync } from '../auth/ecode-crypto'
import { isExpired } from '../domain/ecode'

export const TABS = ['active', 'used', 'expired', 'disposed'] as const
export type Tab = (typeof TABS)[number]

export type ECodeFilter = {
  tab: Tab
  /** The look-up hash of the code searched for (the search goes through the unique index). */
  lookupHash?: string
  variantId?: string
  /** Created at or after `from`, before `to` (whole local days, computed by the caller). */
  from?: Date
  to?: Date
  /**
   * A member (their user id): only the products they may manage, found in the same statement (an
   * e-code on the page is a bearer token); undefined for administrators (everything).
   */
  member?: string
}
export type ECodeCursor = { at: number; id: string }

/** A code's status as people should see it: an active code past its validity is expired. */
export function effectiveStatus(code: { status: ECodeStatus; expiresAt: Date }, now: Date): ECodeStatus {
  return code.status === 'active' && isExpired(code.expiresAt, now) ? 'expired' : code.status
}

/** "…2PZD": how a code appears where the whole of it must not (history). */
export const maskedCode = (code: string) => `…${code.slice(-4)}`

// One statement for the list and the report, in raw SQL because the Expired tab is a UNION ALL of two
// index ranges — SQLite merges the two ordered arms (MERGE (UNION ALL)) instead of sorting the
// lot in a temporary B-tree, as an OR of the two conditions would make it do.
const COLUMNS = sql`e.id as id, e.created_at as createdAt, e.expires_at as expiresAt, e.status as status, e.sealed as sealed,
  e.product_id as productId, e.variant_id as variantId, e.used_at as usedAt, e.recipient_name as recipientName, e.message as message,
  p.name as productName, v.name as variantName, u.name as usedByName`

/** Which arm of a tab: codes of one status read newest first, or the active codes past their validity. */
type Arm = 'status' | 'lapsed'

/**
 * A tab's codes newest first straight from an index on (org, [variant,] status, created_at, id):
 * named, because the planner would otherwise take the (org, status, expires_at) index for the Active
 * tab's expiry condition and then sort every active code in a temporary B-tree. The lapsed arm
 * (active codes past their validity) is the other way round: the range of that index up to now,
 * as short as what the daily purge has not marked yet, sorted — reading it from the created_at
 * index would walk every active code of the org to find the few that lapsed. A search by code finds
 * one row by its hash, through the unique index.
 */
function from(f: ECodeFilter, arm: Arm) {
  const index = f.lookupHash
    ? sql``
    : arm === 'lapsed'
      ? sql` indexed by ecodes_org_status_expires`
      : f.variantId
        ? sql` indexed by ecodes_org_variant_status_created`
        : sql` indexed by ecodes_org_status_created`
  return sql`from ${ecodes} e${index} join ${products} p on p.id = e.product_id join ${variants} v on v.id = e.variant_id left join ${orgs} u on u.id = e.used_by_org_id`
}

/** What every arm shares: the org, search, variant, dates, products and the page cursor. */
function common(orgId: string, f: ECodeFilter, cursor: ECodeCursor | null): SQL[] {
  const parts: SQL[] = [sql`e.org_id = ${orgId}`]
  if (f.lookupHash) parts.push(sql`e.lookup_hash = ${f.lookupHash}`)
  if (f.variantId) parts.push(sql`e.variant_id = ${f.variantId}`)
  if (f.from) parts.push(sql`e.created_at >= ${f.from.getTime()}`)
  // Past the first page the cursor is the upper bound (it lies inside the range): one range on the index.
  if (cursor) parts.push(sql`(e.created_at, e.id) < (${cursor.at}, ${cursor.id})`)
  else if (f.to) parts.push(sql`e.created_at < ${f.to.getTime()}`)
  if (f.member) parts.push(sql`e.product_id in (select mp.product_id from ${memberPermissions} mp where mp.org_id = ${orgId} and mp.user_id = ${f.member})`)
  return parts
}

/** The arms of a tab and their conditions: one arm, or two for Expired. */
function tabArms(tab: Tab, now: Date): [Arm, SQL][] {
  const at = now.getTime()
  switch (tab) {
    case 'active':
      return [['status', sql`e.status = 'active' and e.expires_at > ${at}`]]
    case 'expired':
      return [
        ['status', sql`e.status = 'expired'`],
        ['lapsed', sql`e.status = 'active' and e.expires_at <= ${at}`],
      ]
    default:
      return [['status', sql`e.status = ${tab}`]]
  }
}

export function listQuery(orgId: string, f: ECodeFilter, cursor: ECodeCursor | null, now: Date, limit: number): SQL {
  const base = common(orgId, f, cursor)
  const arms = tabArms(f.tab, now).map(([arm, where]) => sql`select ${COLUMNS} ${from(f, arm)} where ${sql.join([...base, where], sql` and `)}`)
  return sql`${sql.join(arms, sql` union all `)} order by createdAt desc, id desc limit ${limit}`
}

type RawRow = {
  id: string
  createdAt: number
  expiresAt: number
  status: ECodeStatus
  sealed: string
  productId: string
  variantId: string
  usedAt: number | null
  recipientName: string | null
  message: string | null
  productName: string
  variantName: string
  usedByName: string | null
}

export type ListedECode = {
  id: string
  /** Canonical (16 symbols); views format it. */
  code: string
  createdAt: Date
  expiresAt: Date
  status: ECodeStatus
  productId: string
  variantId: string
  productName: string
  variantName: Localized
  usedAt: Date | null
  usedByName: string | null
  recipientName: string | null
  message: string | null
}

function toListed(r: RawRow, code: string, now: Date, names: Map<string, Localized>): ListedECode {
  const expiresAt = new Date(r.expiresAt)
  return {
    id: r.id,
    code,
    createdAt: new Date(r.createdAt),
    expiresAt,
    status: effectiveStatus({ status: r.status, expiresAt }, now),
    productId: r.productId,
    variantId: r.variantId,
    productName: r.productName,
    variantName: localizedOf(names, r.variantName),
    usedAt: r.usedAt === null ? null : new Date(r.usedAt),
    usedByName: r.usedByName,
    recipientName: r.recipientName,
    message: r.message,
  }
}

/** A variant's name parsed once a page: its fifty codes name a few variants over and over. */
function localizedOf(names: Map<string, Localized>, json: string): Localized {
  let name = names.get(json)
  if (!name) names.set(json, (name = JSON.parse(json) as Localized))
  return name
}

/** One page of a tab, newest first, by keyset (created_at, id), with the codes decrypted. */
export async function listECodes(deps: Deps, orgId: string, f: ECodeFilter, cursor: ECodeCursor | null, now: Date, limit: number) {
  const { rows } = await readTogether(deps.db, { rows: listRead(deps.db, orgId, f, cursor, now, limit) })
  return listedPage(deps, rows, now, limit)
}

/** The read behind one page (one more row than shown, to know whether another page follows), for the caller's batch. */
export function listRead(db: Db, orgId: string, f: ECodeFilter, cursor: ECodeCursor | null, now: Date, limit: number) {
  return db.all<RawRow>(listQuery(orgId, f, cursor, now, limit + 1))
}

/** The page from its read: the codes decrypted, and the cursor of the next page if there is one. */
export async function listedPage(deps: Deps, rows: RawRow[], now: Date, limit: number) {
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  const next = rows.length > limit && last ? { at: last.createdAt, id: last.id } : null
  const names = new Map<string, Localized>()
  const secret = deps.config.ecodeSecrets.encryptionKey
  // Opened in the call where node:crypto can; a value it can't open is left to decryptECode.
  const codes = page.map((r) => decryptECodeSync(secret, r.sealed))
  if (codes.includes(null)) await Promise.all(page.map(async (r, i) => (codes[i] ??= await decryptECode(secret, r.sealed))))
  return { rows: page.map((r, i) => toListed(r, codes[i]!, now, names)), next }
}

/** One code of the org, with its product, variant and the org that used it; undefined for another org's id. */
export async function findECode(db: Db, orgId: string, id: string): Promise<ECodeRow | undefined> {
  return (await findECodes(db, orgId, [id]))[0]
}

/**
 * Codes of the org by id with their product, variant and the org that used them, and whether this
 * person may manage each one's product: always for administrators (`member` undefined); for a
 * member, their permission on it, looked up in the same statement.
 */
function codesOf(db: Db, orgId: string, ids: string[], member: string | undefined) {
  const manageable = member
    ? sql<number>`exists (select 1 from ${memberPermissions} mp where mp.org_id = ${orgId} and mp.user_id = ${member} and mp.product_id = ${ecodes.productId})`
    : sql<number>`1`
  return db
    .select({
      id: ecodes.id,
      orgId: ecodes.orgId,
      productId: ecodes.productId,
      variantId: ecodes.variantId,
      sealed: ecodes.sealed,
      status: ecodes.status,
      createdAt: ecodes.createdAt,
      expiresAt: ecodes.expiresAt,
      usedAt: ecodes.usedAt,
      recipientName: ecodes.recipientName,
      message: ecodes.message,
      productName: products.name,
      variantName: variants.name,
      usedByName: orgs.name,
      manageable,
    })
    .from(ecodes)
    .innerJoin(products, eq(products.id, ecodes.productId))
    .innerJoin(variants, eq(variants.id, ecodes.variantId))
    .leftJoin(orgs, eq(orgs.id, ecodes.usedByOrgId))
    .where(and(eq(ecodes.orgId, orgId), inArray(ecodes.id, ids)))
}

/** Several codes of the org by id, in the order asked; ids that aren't the org's are left out. */
export async function findECodes(db: Db, orgId: string, ids: string[]) {
  if (ids.length === 0) return []
  const byId = new Map((await codesOf(db, orgId, ids, undefined)).map(({ manageable: _, ...r }) => [r.id, r]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}

/** One code of the org and whether this person may manage its product (see codesOf): one statement. */
export async function findECodeFor(db: Db, orgId: string, id: string, member: string | undefined): Promise<(ECodeRow & { manageable: boolean }) | undefined> {
  const [row] = await codesOf(db, orgId, [id], member)
  return row ? { ...row, manageable: Boolean(row.manageable) } : undefined
}
export type ECodeRow = Awaited<ReturnType<typeof findECodes>>[number]
