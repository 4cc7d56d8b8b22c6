// What the bench gives the app as its production environment: production refuses to start without
// the payment provider's and the e-code keys' secrets, so the bench supplies throwaway ones (no
// scenario calls Stripe or decrypts anything with them outside this machine).
export const PRODUCTION_ENV = {
  KONTOR_ENV: 'production',
  STRIPE_SECRET_KEY: 'sk_test_bench_not_a_real_key',
  STRIPE_WEBHOOK_SECRET: 'whsec_bench_not_a_real_secret',
  ECODE_LOOKUP_KEY: 'YmVuY2gtbG9va3VwLWtleS0zMi1ieXRlcy1sb25nISE=',
  ECODE_ENCRYPTION_KEY: 'YmVuY2gtZW5jcnlwdC1rZXktMzItYnl0ZXMtbG9uZyE=',
} as const
