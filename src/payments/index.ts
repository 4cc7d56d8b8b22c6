// Picks the payment provider for the configuration: Stripe when its secrets are set, otherwise the
// built-in test provider (which src/config.ts refuses in production).
import type { Config } from '../config'
import type { Db } from '../db/client'
import type { PaymentProvider } from './provider'
import { StripePaymentProvider } from './stripe'
import { TestPaymentProvider } from './test-provider'

export function paymentProviderFor(config: Config, db: Db): PaymentProvider {
  if (config.stripe) return new StripePaymentProvider(config.stripe)
  return new TestPaymentProvider(db, config.baseUrl)
}
