// Licences from activated warehouse units (SPEC §6, §9; issue 16 rule 3): one per unit, its term
// from the variant, starting at activation. Listed on the org's dashboard (a member sees those of
// the products they may manage, as on the warehouse page) and on the operator's org page, as a
// query for the page's one batch.
import { and, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client'
import { bindPrepared } from '../db/prepared'
import { licences, memberPermissions, products, variants } from '../db/schema'

/** How many a page lists, newest first; one more is read to know there are more. */
export const UNIT_LICENCES_SHOWN = 100

export type UnitLicence = { number: string; validFrom: Date; validUntil: Date | null; product: string; variant: (typeof variants.$inferSelect)['name'] }

/** The org's unit licences, newest first; for a member (`userId`), only the products they may manage. */
export function unitLicencesQuery(db: Db, orgId: string, member?: { userId: string }) {
  return member ? bindPrepared(db, membersUnitLicences, { orgId, userId: member.userId }) : bindPrepared(db, orgUnitLicences, { orgId })
}

// Prepared once per database handle (src/db/prepared.ts): the dashboard reads them at every visit.
const orgUnitLicences = (db: Db) => unitLicencesOf(db, undefined)
const membersUnitLicences = (db: Db) =>
  unitLicencesOf(
    db,
    inArray(
      licences.productId,
      db
        .select({ id: memberPermissions.productId })
        .from(memberPermissions)
        .where(and(eq(memberPermissions.orgId, sql.placeholder('orgId')), eq(memberPermissions.userId, sql.placeholder('userId')))),
    ),
  )

function unitLicencesOf(db: Db, permitted: SQL | undefined) {
  return db
    .select({ number: licences.number, validFrom: licences.validFrom, validUntil: licences.validUntil, product: products.name, variant: variants.name })
    .from(licences)
    .innerJoin(variants, eq(variants.id, licences.variantId))
    .innerJoin(products, eq(products.id, licences.productId))
    .where(and(eq(licences.orgId, sql.placeholder('orgId')), isNotNull(licences.variantId), permitted))
    .orderBy(desc(licences.validFrom), desc(licences.id))
    .limit(UNIT_LICENCES_SHOWN + 1)
}
