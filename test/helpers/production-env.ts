// A complete production configuration with throwaway values, for tests that need production to
// start and judge one setting at a time. Node's shape; a Worker adds TURSO_DATABASE_URL/TOKEN.
import type { Env } from '../../src/config'

export const PRODUCTION_ENV = {
  BASE_URL: 'https://panel.example.test',
  RESEND_API_KEY: 're_not_a_real_key',
  MAIL_FROM: 'Kontor <billing@example.test>',
  VENDOR_LEGAL_NAME: 'Example Vendor sp. z o.o.',
  VENDOR_ADDRESS: 'ul. Testowa 1|00-950 Warszawa|Polska',
  VENDOR_TAX_ID: 'PL7740001454',
  VENDOR_BANK_ACCOUNT: 'PL27 1140 2004 0000 3002 0135 5387',
  STRIPE_SECRET_KEY: 'sk_test_not_a_real_key',
  STRIPE_WEBHOOK_SECRET: 'whsec_not_a_real_secret',
  // Nothing leaves for the Ministry's KSeF from a test (production needs this or KSeF's settings).
  EINVOICE: 'off',
  ECODE_LOOKUP_KEY: 'cHJvZC1jb25maWctbG9va3VwLWtleS0zMi1ieXRlcyE=',
  ECODE_ENCRYPTION_KEY: 'cHJvZC1jb25maWctc2VhbGluZy1rZXktMzItYnl0ZXM=',
} satisfies Env

/** The same without some settings: for tests that judge those alone. */
export function productionEnvWithout(...names: (keyof typeof PRODUCTION_ENV)[]): Env {
  const env: Env = { ...PRODUCTION_ENV }
  for (const name of names) delete env[name]
  return env
}
