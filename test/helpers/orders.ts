// Placing orders in tests the way the checkout does (placeCheckoutOrder: prices from the catalog,
// the buyer's checks, the number), without clicking through its four steps.
import type { User } from '../../src/auth/session'
import type { PaymentMethod } from '../../src/db/schema'
import { payments } from '../../src/db/schema'
import { generateId } from '../../src/auth/tokens'
import { placeCheckoutOrder } from '../../src/services/checkout'
import type { CartItem } from '../../src/services/pricing'
import type { Org } from '../../src/services/orgs'
import type { TestApp } from './app'

export const SILVER_YEAR: CartItem = { product: 'sekretariat', plan: 'silver', period: 12, addons: {} }

/** Places the order for the org's admin; Sekretariat Silver for a year (PLN 356.70 gross) unless told otherwise. */
export async function orderFor(t: TestApp, buyer: { org: Org; user: { id: string } }, method: PaymentMethod = 'card', item: CartItem = SILVER_YEAR) {
  const placed = await placeCheckoutOrder(t.deps, { org: buyer.org, user: buyer.user as User, item, paymentMethod: method, language: 'en' }, t.clock.now())
  if (!placed.ok) throw new Error(`the order was refused: ${placed.error}`)
  return placed
}

/** A pending hosted payment attempt at the test provider for the order, as startHostedPayment writes it. */
export async function hostedPayment(t: TestApp, orderId: string, orgId: string, amountMinor = 35670) {
  const id = generateId()
  await t.db.insert(payments).values({ id, orderId, orgId, provider: 'test', kind: 'hosted', status: 'pending', amountMinor, currency: 'PLN', createdAt: t.clock.now() })
  return id
}
