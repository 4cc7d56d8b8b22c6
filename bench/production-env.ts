// What the bench gives the app as its production environment: production refuses to start without
// every setting it needs (src/config.ts), so the bench supplies throwaway ones — no scenario sends
// mail (the Resend address is a closed local port), calls Stripe, or decrypts anything with these
// keys outside this machine. BASE_URL is https as production requires; requests go to the local
// http address (the same-origin check also accepts the address a request arrived at), and the
// session cookie is therefore the production one, SESSION_COOKIE.
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
  ECODE_LOOKUP_KEY: 'YmVuY2gtbG9va3VwLWtleS0zMi1ieXRlcy1sb25nISE=',
  ECODE_ENCRYPTION_KEY: 'YmVuY2gtZW5jcnlwdC1rZXktMzItYnl0ZXMtbG9uZyE=',
} as const

/** The session cookie's name in production (`__Host-`, Secure): what the bench's clients send. */
export const SESSION_COOKIE = '__Host-kontor_session'
