// What the bench gives the app as its production environment — the one list of it, for the Node
// server (bench/server.ts), the in-process app and the seeding (bench/seed.ts, whose e-codes must be
// sealed with the same keys), and the Worker (bench/worker.ts). Production refuses to start without
// every setting it needs (src/config.ts), so the bench supplies throwaway ones: no scenario sends mail
// (the Resend address is a closed local port) or calls Stripe, and the e-code keys are new random
// bytes every run. BASE_URL is https as production requires; requests go to the local http address
// (the same-origin check also accepts the address a request arrived at), so the session cookie is
// the production one, SESSION_COOKIE.
import { randomBytes } from 'node:crypto'

export const PRODUCTION_ENV = {
  KONTOR_ENV: 'production',
  BASE_URL: 'https://kontor.bench.example',
  RESEND_API_KEY: 're_bench_not_a_real_key',
  RESEND_BASE_URL: 'http://127.0.0.1:9',
  MAIL_FROM: 'Kontor bench <bench@kontor.bench.example>',
  VENDOR_LEGAL_NAME: 'Kontor sp. z o.o.',
  VENDOR_ADDRESS: 'ul. Przykładowa 1|00-001 Warszawa|Polska',
  VENDOR_TAX_ID: 'PL5260250274',
  VENDOR_BANK_ACCOUNT: 'PL61 1090 1014 0000 0712 1981 2874',
  STRIPE_SECRET_KEY: 'sk_test_bench_not_a_real_key',
  STRIPE_WEBHOOK_SECRET: 'whsec_bench_not_a_real_secret',
  // Nothing leaves for the Ministry's KSeF from a test (production needs this or KSeF's settings).
  EINVOICE: 'off',
  ECODE_LOOKUP_KEY: randomBytes(32).toString('base64'),
  ECODE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
} as const

/** The session cookie's name in production (`__Host-`, Secure): what the bench's clients send. */
export const SESSION_COOKIE = '__Host-kontor_session'

/** The public address the Worker is configured with; requests go to wrangler's local port (the CSRF check also accepts a request's own origin). */
export const WORKER_BASE_URL = PRODUCTION_ENV.BASE_URL

/**
 * The Worker's variables, as a customer's deployment has them (wrangler.toml's [vars] come first):
 * production, a public https address (so the session cookie is `__Host-` and Secure), Resend
 * configured but pointed at `resendBaseUrl`, a closed local port: no mail job runs during the bench,
 * and a mail sent by mistake fails here instead of leaving the machine.
 */
export function workerVars(o: { databaseUrl: string; resendBaseUrl: string }): Record<string, string> {
  return {
    ...PRODUCTION_ENV,
    BASE_URL: WORKER_BASE_URL,
    TURSO_DATABASE_URL: o.databaseUrl,
    // The dev libSQL server takes no token; production requires one, so the Worker gets a stand-in.
    TURSO_AUTH_TOKEN: 'the-dev-libsql-server-ignores-it',
    RESEND_API_KEY: 're_bench_not_a_real_key',
    RESEND_BASE_URL: o.resendBaseUrl,
    MAIL_FROM: 'Kontor <no-reply@kontor.bench.example>',
  }
}
