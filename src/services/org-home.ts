// The org's dashboard (SPEC §5): its products with licences and meters as this person may see them,
// and a member's open request for administrator rights — read in one batch, one round trip.
import type { Deps } from '../deps'
import { readTogether } from '../db/client'
import { cachedCatalog } from '../db/catalog-cache'
import { localMonth } from '../domain/time'
import type { Org, Role } from './orgs'
import { openAdminRequestQuery } from './requests'
import { orgProductReads, permittedProductsQuery, productStates, visibleProducts, type ProductState } from './subscriptions'

export type OrgHome = { products: ProductState[]; pendingSince: Date | null }

export async function orgHome(deps: Deps, org: Org, userId: string, role: Role, now: Date): Promise<OrgHome> {
  const { db } = deps
  const month = localMonth(now, org.timeZone)
  const member = role === 'member'
  const [catalog, read] = await Promise.all([
    cachedCatalog(db),
    readTogether(db, {
      ...orgProductReads(db, org.id, month),
      ...(member ? { permitted: permittedProductsQuery(db, org.id, userId), request: openAdminRequestQuery(db, org.id, userId) } : {}),
    }),
  ])
  const all = productStates(catalog, read, month)
  return { products: visibleProducts(all, role, read.permitted ?? []), pendingSince: read.request?.[0]?.createdAt ?? null }
}
