// The org's dashboard (SPEC §5): its products with licences and meters as this person may see them,
// the licences its activated units became, and, for a member, whether they joined by claiming the
// company and their open request for administrator rights — read in one batch, one round trip.
import { sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether, type Db } from '../db/client'
import { cachedCatalog } from '../db/catalog-cache'
import { memberPermissions, memberships, orgRequests } from '../db/schema'
import { localMonth } from '../domain/time'
import type { Org, Role } from './orgs'
import { unitLicencesQuery, type UnitLicence } from './unit-licences'
import { orgProductReads, productStates, visibleProducts, type ProductState } from './subscriptions'

export type OrgHome = {
  products: ProductState[]
  unitLicences: UnitLicence[]
  /**
   * For a member who joined by claiming the company with a licence number (SPEC §3), or who has asked
   * for administrator rights: the notice that their rights are limited, with the ways to full rights.
   * Members an administrator added on purpose are not told so. `pendingSince` is the open request's date.
   */
  limited: { pendingSince: Date | null } | null
}

/**
 * A member's standing in one statement (the dashboard's batch is held to its budget,
 * test/routes/round-trips.test.ts): the products they may use, as a JSON array of ids, when their
 * open request for administrator rights was made, and whether they claimed the company with their
 * current membership (a claim made at the membership's creation or later).
 */
function memberStanding(db: Db, orgId: string, userId: string) {
  return db.all<{ permitted: string; requestedAt: number | null; claimed: number }>(sql`select
    (select json_group_array(p.product_id) from ${memberPermissions} p where p.org_id = ${orgId} and p.user_id = ${userId}) as permitted,
    (select r.created_at from ${orgRequests} r
      where r.org_id = ${orgId} and r.user_id = ${userId} and r.kind = 'admin_rights' and r.status = 'pending' limit 1) as requestedAt,
    exists (select 1 from ${orgRequests} r
      where r.org_id = ${orgId} and r.user_id = ${userId} and r.kind = 'member_claimed'
        and r.created_at >= (select m.created_at from ${memberships} m where m.org_id = ${orgId} and m.user_id = ${userId})) as claimed`)
}

export async function orgHome(deps: Deps, org: Org, userId: string, role: Role, now: Date): Promise<OrgHome> {
  const { db } = deps
  const month = localMonth(now, org.timeZone)
  const member = role === 'member'
  const [catalog, read] = await Promise.all([
    cachedCatalog(db),
    readTogether(db, {
      ...orgProductReads(db, org.id, month),
      unitLicences: unitLicencesQuery(db, org.id, member ? { userId } : undefined),
      ...(member ? { standing: memberStanding(db, org.id, userId) } : {}),
    }),
  ])
  const standing = read.standing?.[0]
  const permitted = standing ? (JSON.parse(standing.permitted) as string[]).map((productId) => ({ productId })) : []
  const requestedAt = standing?.requestedAt ?? null
  const pendingSince = requestedAt === null ? null : new Date(Number(requestedAt))
  return {
    products: visibleProducts(productStates(catalog, read, month), role, permitted),
    unitLicences: read.unitLicences,
    limited: standing && (Number(standing.claimed) === 1 || pendingSince) ? { pendingSince } : null,
  }
}
