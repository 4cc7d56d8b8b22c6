// The org's dashboard (SPEC §5): its products with licences and meters as this person may see them,
// and, for a member, whether they joined by claiming the company and their open request for
// administrator rights — read in one batch, one round trip.
import { and, eq, or, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether, type Db } from '../db/client'
import { cachedCatalog } from '../db/catalog-cache'
import { memberships, orgRequests } from '../db/schema'
import { localMonth } from '../domain/time'
import type { Org, Role } from './orgs'
import { orgProductReads, permittedProductsQuery, productStates, visibleProducts, type ProductState } from './subscriptions'

export type OrgHome = {
  products: ProductState[]
  /**
   * For a member who joined by claiming the company with a licence number (SPEC §3), or who has asked
   * for administrator rights: the notice that their rights are limited, with the ways to full rights.
   * Members an administrator added on purpose are not told so. `pendingSince` is the open request's date.
   */
  limited: { pendingSince: Date | null } | null
}

/**
 * The member's claim of the company (made with their current membership: same instant or later) and
 * their open request for administrator rights, in one statement.
 */
function memberRequestsQuery(db: Db, orgId: string, userId: string) {
  const r = orgRequests
  const joined = sql`(select ${memberships.createdAt} from ${memberships} where ${memberships.orgId} = ${orgId} and ${memberships.userId} = ${userId})`
  return db
    .select({ kind: r.kind, createdAt: r.createdAt })
    .from(r)
    .where(and(eq(r.orgId, orgId), eq(r.userId, userId), or(and(eq(r.kind, 'admin_rights'), eq(r.status, 'pending')), and(eq(r.kind, 'member_claimed'), sql`${r.createdAt} >= ${joined}`))))
}

export async function orgHome(deps: Deps, org: Org, userId: string, role: Role, now: Date): Promise<OrgHome> {
  const { db } = deps
  const month = localMonth(now, org.timeZone)
  const member = role === 'member'
  const [catalog, read] = await Promise.all([
    cachedCatalog(db),
    readTogether(db, {
      ...orgProductReads(db, org.id, month),
      ...(member ? { permitted: permittedProductsQuery(db, org.id, userId), requests: memberRequestsQuery(db, org.id, userId) } : {}),
    }),
  ])
  const all = productStates(catalog, read, month)
  const requests = read.requests ?? []
  const open = requests.find((r) => r.kind === 'admin_rights')
  const limited = member && requests.length > 0 ? { pendingSince: open?.createdAt ?? null } : null
  return { products: visibleProducts(all, role, read.permitted ?? []), limited }
}
