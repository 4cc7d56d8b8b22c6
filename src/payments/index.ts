// Picks the payment provider for the configuration: Stripe when its secrets are set, nobody with
// PAYMENTS=transfer-only (bank transfers only), otherwise the built-in test provider (which
// src/config.ts refuses in production).
import type { Config } from '../config'
import type { Db } from '../db/client'
import type { PaymentProvider } from './provider'
import { StripePaymentProvider } from './stripe'
import { TestPaymentProvider } from './test-provider'

export function paymentProviderFor(config: Config, db: Db): PaymentProvider | null {
  if (config.stripe) return new StripePaymentProvider(config.stripe)
  if (config.paymentProvider === 'none') return null
  return new TestPaymentProvider(db, config.baseUrl)
}
