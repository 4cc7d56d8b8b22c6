// Configuration read once at an entry point from environment variables (Node) or bindings (Worker).
import { parseECodeKey } from './auth/ecode-crypto'
import { PASSWORD_COST, TEST_PASSWORD_COST, type PasswordCost } from './auth/password'

export type Environment = 'production' | 'development' | 'test'

export type Config = {
  environment: Environment
  /** Public address of the panel, used in e-mails and for the same-origin check. */
  baseUrl: string
  /** Cookies get `Secure` and the `__Host-` prefix unless the panel is served over plain http on localhost. */
  secureCookies: boolean
  mailFrom: string
  resendApiKey: string | undefined
  resendBaseUrl: string | undefined
  vendorName: string
  /** Header that carries the client's IP behind a proxy (cf-connecting-ip on Workers); unset → the socket address. */
  clientIpHeader: string | undefined
  /** Versions of the documents a user accepts at registration (SPEC §1). */
  termsVersion: string
  privacyVersion: string
  marketingVersion: string
  /** The vendor as seller (SPEC §7): VAT country and default rate, invoice header, account for transfers. */
  vendor: VendorConfig
  /** Terms of sale accepted at checkout; the version is stored with each order. */
  termsOfSaleVersion: string
  /** Which provider takes card and PayPal payments: the built-in test provider, or Stripe. */
  paymentProvider: 'test' | 'stripe'
  stripe: { secretKey: string; webhookSecret: string; apiBase: string | undefined } | null
  /** Keys for e-codes (src/auth/ecode-crypto.ts): the HMAC key of the look-up hash and the AES-256-GCM key of the stored code. */
  ecodeSecrets: { lookupKey: string; encryptionKey: string }
  /** scrypt's cost for new password hashes: OWASP's everywhere but in tests (src/auth/password.ts). */
  passwordCost: PasswordCost
}

export type VendorConfig = {
  country: string
  defaultVatPercent: number
  legalName: string
  addressLines: string[]
  taxId: string
  bankAccount: string
  /** Order numbers run per month and invoice numbers per year of this zone's calendar. */
  timeZone: string
}

export type Env = Record<string, string | undefined>

export function loadConfig(env: Env, defaults: { port?: number } = {}): Config {
  const environment = parseEnvironment(env.KONTOR_ENV ?? env.NODE_ENV)
  const baseUrl = (env.BASE_URL || `http://localhost:${defaults.port ?? 8080}`).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new Error(`BASE_URL must be an absolute http(s) address such as https://panel.example.com, not "${env.BASE_URL}"`)
  }
  const stripe = parseStripe(env, environment)
  const ecodeSecrets = parseECodeSecrets(env, environment)
  return {
    environment,
    baseUrl,
    secureCookies: !isPlainHttpLocalhost(baseUrl),
    mailFrom: env.MAIL_FROM ?? 'Kontor <no-reply@kontor.localhost>',
    resendApiKey: env.RESEND_API_KEY || undefined,
    resendBaseUrl: env.RESEND_BASE_URL || undefined,
    vendorName: env.VENDOR_NAME ?? 'Kontor',
    clientIpHeader: env.CLIENT_IP_HEADER || undefined,
    termsVersion: env.TERMS_VERSION ?? '2026-11',
    privacyVersion: env.PRIVACY_VERSION ?? '2026-11',
    marketingVersion: env.MARKETING_VERSION ?? '2026-11',
    vendor: {
      country: (env.VENDOR_COUNTRY ?? 'PL').toUpperCase(),
      defaultVatPercent: parseRate(env.VENDOR_DEFAULT_VAT ?? '23'),
      legalName: env.VENDOR_LEGAL_NAME ?? 'Kontor sp. z o.o.',
      addressLines: (env.VENDOR_ADDRESS ?? 'ul. Przykładowa 1|00-001 Warszawa|Polska').split('|'),
      taxId: env.VENDOR_TAX_ID ?? 'PL5260250274',
      bankAccount: env.VENDOR_BANK_ACCOUNT ?? 'PL61 1090 1014 0000 0712 1981 2874',
      timeZone: env.VENDOR_TIME_ZONE ?? 'Europe/Warsaw',
    },
    termsOfSaleVersion: env.TERMS_OF_SALE_VERSION ?? '2026-11',
    paymentProvider: stripe ? 'stripe' : 'test',
    stripe,
    ecodeSecrets,
    passwordCost: environment === 'test' ? TEST_PASSWORD_COST : PASSWORD_COST,
  }
}

function parseStripe(env: Env, environment: Environment): Config['stripe'] {
  const secretKey = env.STRIPE_SECRET_KEY || undefined
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET || undefined
  if (!secretKey && !webhookSecret) {
    // The test provider approves whatever its buttons say: never in production.
    if (environment === 'production') throw new Error('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are required in production')
    return null
  }
  if (!secretKey || !webhookSecret) throw new Error('set both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or neither')
  return { secretKey, webhookSecret, apiBase: env.STRIPE_API_BASE || undefined }
}

/**
 * Development and test keys for e-codes, used outside production when the variables are unset.
 * They are public (they are in this file), so codes sealed with them are protected by nothing;
 * production refuses to start with them or without its own keys.
 */
export const DEVELOPMENT_ECODE_SECRETS = {
  // "kontor-dev-ecode-lookup-key-0001" and "kontor-dev-ecode-encryption-key1" in hex
  lookupKey: '6b6f6e746f722d6465762d65636f64652d6c6f6f6b75702d6b65792d30303031',
  encryptionKey: '6b6f6e746f722d6465762d65636f64652d656e6372797074696f6e2d6b657931',
} as const

function parseECodeSecrets(env: Env, environment: Environment): Config['ecodeSecrets'] {
  const key = (name: 'ECODE_LOOKUP_KEY' | 'ECODE_ENCRYPTION_KEY', fallback: string) => {
    const text = env[name]?.trim()
    if (!text) {
      // Without its own keys a copy of the database, plus this public file, reveals every code.
      if (environment === 'production') throw new Error(`${name} is required in production: 32 random bytes as base64 or hex, e.g. from \`openssl rand -base64 32\``)
      return fallback
    }
    const parsed = parseECodeKey(text)
    if (!parsed.ok) throw new Error(`${name} ${parsed.error}: it must be 32 random bytes as 64 hex digits or base64, e.g. from \`openssl rand -base64 32\``)
    if (environment === 'production' && Object.values(DEVELOPMENT_ECODE_SECRETS).some((dev) => sameKey(dev, text))) {
      throw new Error(`${name} is one of the public development keys; production needs its own`)
    }
    return text
  }
  const lookupKey = key('ECODE_LOOKUP_KEY', DEVELOPMENT_ECODE_SECRETS.lookupKey)
  const encryptionKey = key('ECODE_ENCRYPTION_KEY', DEVELOPMENT_ECODE_SECRETS.encryptionKey)
  // The same bytes as HMAC key and AES key is key reuse across algorithms: each key has one job.
  if (sameKey(lookupKey, encryptionKey)) throw new Error('ECODE_LOOKUP_KEY and ECODE_ENCRYPTION_KEY must be different keys')
  return { lookupKey, encryptionKey }
}

/** Whether two key texts hold the same bytes, however each is written (hex or base64). */
function sameKey(a: string, b: string): boolean {
  const x = parseECodeKey(a)
  const y = parseECodeKey(b)
  return x.ok && y.ok && x.value.every((byte, i) => byte === y.value[i])
}

function parseRate(text: string): number {
  const rate = Number(text)
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(text) || rate > 100) throw new Error(`VENDOR_DEFAULT_VAT must be a percentage such as 23, not "${text}"`)
  return rate
}

function parseEnvironment(value: string | undefined): Environment {
  if (value === 'production' || value === 'test') return value
  return 'development'
}

export function isPlainHttpLocalhost(baseUrl: string): boolean {
  const url = new URL(baseUrl)
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}
