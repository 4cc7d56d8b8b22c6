// Organizations as operators see them (SPEC §15): search by name or tax id, and one org's whole
// picture — members, subscriptions with licences, warehouse grants.
import { and, asc, desc, eq, isNull, like, ne, or, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether } from '../db/client'
import { licences, memberships, orgs, products, subscriptions, users } from '../db/schema'
import { listWarehouseGrants } from './grants'
import { unitLicencesQuery } from './unit-licences'

/** LIKE pattern for a substring, with the wildcards in the input taken literally. */
function contains(text: string) {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
}

/** Live orgs whose name contains the text (ASCII case-insensitive) or whose tax id contains its digits; newest first when empty. */
export function searchOrgs(deps: Deps, q: string) {
  const { db } = deps
  const query = db.select().from(orgs)
  if (!q) return query.where(isNull(orgs.deletedAt)).orderBy(desc(orgs.createdAt)).limit(50)
  const compactTaxId = q.toUpperCase().replace(/[\s.\-_/]/g, '')
  return query
    .where(
      and(
        isNull(orgs.deletedAt),
        or(
          sql`lower(${orgs.name}) like ${contains(q.toLowerCase())} escape '\\'`,
          compactTaxId.length >= 3 ? like(orgs.taxId, contains(compactTaxId)) : undefined,
        ),
      ),
    )
    .orderBy(asc(orgs.name))
    .limit(50)
}

/**
 * One org's picture for the back office, in one batch: its members, live subscriptions with
 * licences, the licences its activated units became, and warehouse grants.
 */
export function orgOverview(deps: Deps, orgId: string) {
  const { db } = deps
  return readTogether(db, {
    members: db
      .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, orgId))
      .orderBy(asc(users.name)),
    subscriptions: db
      .select({ subscription: subscriptions, productName: products.name, licenceNumber: licences.number })
      .from(subscriptions)
      .innerJoin(products, eq(products.id, subscriptions.productId))
      .leftJoin(licences, eq(licences.subscriptionId, subscriptions.id))
      .where(and(eq(subscriptions.orgId, orgId), ne(subscriptions.status, 'ended')))
      .orderBy(asc(products.name)),
    unitLicences: unitLicencesQuery(db, orgId),
    grants: listWarehouseGrants(deps, orgId),
  })
}
