// Configuration read once at an entry point from environment variables (Node) or bindings (Worker).
// Production is the default wherever Kontor is not plainly local, and production refuses to start
// until every setting it needs is there (src/config-environment.ts decides which environment this is).
import { parseECodeKey } from './auth/ecode-crypto'
import type { PaymentMethod } from './db/schema'
import { resolveEnvironment, type Environment, type Runtime } from './config-environment'
import { PASSWORD_COST, TEST_PASSWORD_COST, type PasswordCost } from './auth/password'
import type { KsefEnvironment } from './einvoice/kod1'
import { vendorEinvoiceProblems } from './einvoice/vendor'
import { parseEInvoice, parseKsefOffline, type EInvoiceConfig } from './config-einvoice'
import type { OfflineCertificate } from './einvoice/kod2'

export type { Environment, Runtime } from './config-environment'

export type Config = {
  environment: Environment
  /** Public address of the panel, used in e-mails and for the same-origin check. */
  baseUrl: string
  /** Cookies get `Secure` and the `__Host-` prefix always in production, and elsewhere unless the panel is plain-http localhost. */
  secureCookies: boolean
  mailFrom: string
  resendApiKey: string | undefined
  resendBaseUrl: string | undefined
  vendorName: string
  /**
   * Header that carries the client's IP behind a proxy; unset → the socket address. A Worker always
   * reads `cf-connecting-ip`, which Cloudflare sets and no client can.
   */
  clientIpHeader: string | undefined
  /**
   * How many proxies of ours append to that header (TRUSTED_PROXIES, default 1): the client is the
   * address that many entries from the right; everything left of it the client may have written.
   */
  trustedProxies: number
  /** Versions of the documents a user accepts at registration (SPEC §1). */
  termsVersion: string
  privacyVersion: string
  marketingVersion: string
  /** The vendor as seller (SPEC §7): VAT country and default rate, invoice header, account for transfers. */
  vendor: VendorConfig
  /** Terms of sale accepted at checkout; the version is stored with each order. */
  termsOfSaleVersion: string
  /**
   * Who takes card and PayPal payments: Stripe, the built-in test provider (never in production),
   * or nobody (`PAYMENTS=transfer-only`: bank transfers only).
   */
  paymentProvider: 'test' | 'stripe' | 'none'
  /** The methods a buyer may choose, in the order they are offered. */
  paymentMethods: readonly PaymentMethod[]
  stripe: { secretKey: string; webhookSecret: string; apiBase: string | undefined } | null
  /**
   * Keys for e-codes (src/auth/ecode-crypto.ts): the HMAC key of the look-up hash and the AES-256-GCM
   * key of the stored code, from which the keys sealing secret mail and TOTP seeds are derived (src/auth/sealing.ts).
   */
  ecodeSecrets: { lookupKey: string; encryptionKey: string }
  /** Where invoices go as e-invoices: KSeF, SdI, the local fakes, or nowhere (src/config-einvoice.ts). */
  einvoice: EInvoiceConfig
  /** A Polish seller's KSeF certificate of the Offline type, which signs KOD II on offline invoices; null: KOD I alone. */
  ksefOffline: OfflineCertificate | null
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
  /** FatturaPA's RegimeFiscale of an Italian seller (VENDOR_REGIME_FISCALE, RF01 = ordinary). */
  regimeFiscale: string
  /** Which KSeF a Polish seller's invoices belong to (KSEF_ENV): the host of the KOD I link printed on them. */
  ksefEnvironment: KsefEnvironment
}

export type Env = Record<string, string | undefined>

/** Everything wrong with a configuration, found at once, so one start-up names every setting to fix. */
export class ConfigError extends Error {
  constructor(
    readonly environment: Environment,
    readonly problems: string[],
  ) {
    super(
      environment === 'production'
        ? `Kontor is running in production and refuses to start until these settings are fixed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n(docs/operations.md lists every setting; KONTOR_ENV=development runs it locally.)`
        : `Kontor's configuration has problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    this.name = 'ConfigError'
  }
}

/** The settings production needs that have development defaults (demo seller, local mail). */
const VENDOR_SETTINGS = ['VENDOR_LEGAL_NAME', 'VENDOR_ADDRESS', 'VENDOR_TAX_ID', 'VENDOR_BANK_ACCOUNT'] as const

export function loadConfig(env: Env, runtime: Runtime = { kind: 'script' }): Config {
  const environment = resolveEnvironment(env, runtime)
  const production = environment === 'production'
  const problems: string[] = []
  const need = (name: string, why: string) => {
    if (production && !env[name]?.trim()) problems.push(`${name} is not set: ${why}`)
  }

  // Without BASE_URL, links point at this machine: the port the server listens on, or for a script
  // (npm run job writes mail) the PORT it shares with `npm start` in the same shell.
  const port = runtime.kind === 'node' ? (runtime.port ?? 8080) : runtime.kind === 'script' ? portFrom(env.PORT) : 8080
  const baseUrl = (env.BASE_URL || `http://localhost:${port}`).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    problems.push(`BASE_URL must be an absolute http(s) address such as https://panel.example.com, not "${env.BASE_URL}"`)
  } else if (production && !env.BASE_URL) {
    problems.push('BASE_URL is not set: the panel\'s public https address, used in every e-mail link (e.g. https://panel.example.com)')
  } else if (production && !baseUrl.startsWith('https://')) {
    problems.push(`BASE_URL must be an https address in production (sessions need a Secure cookie), not "${env.BASE_URL}"`)
  }
  need('RESEND_API_KEY', 'the Resend API key; without it no e-mail leaves (activation, resets, invoices)')
  need('MAIL_FROM', 'the sender of every e-mail, e.g. "Kontor <billing@vendor.example>" on a domain verified at Resend')
  const vendorMissing = VENDOR_SETTINGS.filter((name) => !env[name]?.trim())
  if (production && vendorMissing.length > 0) {
    problems.push(`${vendorMissing.join(', ')} ${vendorMissing.length > 1 ? 'are' : 'is'} not set: the seller printed on invoices and the account customers pay transfers to (production never uses the demo seller)`)
  }
  if (runtime.kind === 'worker') {
    need('TURSO_DATABASE_URL', 'the database (libsql://… from `turso db show --url`)')
    need('TURSO_AUTH_TOKEN', 'the database token (`turso db tokens create`)')
  }

  const payments = parsePayments(env, environment, problems)
  const ecodeSecrets = parseECodeSecrets(env, environment, problems)
  const defaultVatPercent = parseRate(env.VENDOR_DEFAULT_VAT ?? '23', problems)
  const vendor = parseVendor(env, environment, defaultVatPercent, problems)
  const einvoice = parseEInvoice(env, environment, { country: vendor.country, taxId: vendor.taxId }, problems)
  const ksefOffline = parseKsefOffline(env, vendor.country, problems)
  const trustedProxies = Number(env.TRUSTED_PROXIES?.trim() || '1')
  if (!Number.isInteger(trustedProxies) || trustedProxies < 1 || trustedProxies > 10) {
    problems.push(`TRUSTED_PROXIES must be the number of proxies in front of Kontor that append to CLIENT_IP_HEADER (1 to 10), not "${env.TRUSTED_PROXIES}"`)
  }
  if (problems.length > 0) throw new ConfigError(environment, problems)

  return {
    environment,
    baseUrl,
    secureCookies: production || !isPlainHttpLocalhost(baseUrl),
    mailFrom: env.MAIL_FROM || 'Kontor <no-reply@kontor.localhost>',
    resendApiKey: env.RESEND_API_KEY?.trim() || undefined,
    resendBaseUrl: env.RESEND_BASE_URL || undefined,
    vendorName: env.VENDOR_NAME || 'Kontor',
    clientIpHeader: runtime.kind === 'worker' ? 'cf-connecting-ip' : env.CLIENT_IP_HEADER?.trim().toLowerCase() || undefined,
    trustedProxies,
    termsVersion: env.TERMS_VERSION ?? '2026-11',
    privacyVersion: env.PRIVACY_VERSION ?? '2026-11',
    marketingVersion: env.MARKETING_VERSION ?? '2026-11',
    vendor,
    termsOfSaleVersion: env.TERMS_OF_SALE_VERSION ?? '2026-11',
    ...payments,
    ecodeSecrets: ecodeSecrets!,
    einvoice,
    ksefOffline,
    passwordCost: environment === 'test' ? TEST_PASSWORD_COST : PASSWORD_COST,
  }
}

/**
 * The demo sellers used outside production when the VENDOR_* settings are unset: a Polish one, or an
 * Italian one with VENDOR_COUNTRY=IT, so that either e-invoice format can be tried locally.
 */
const DEMO_SELLERS = {
  PL: { legalName: 'Kontor sp. z o.o.', address: 'ul. Przykładowa 1|00-001 Warszawa|Polska', taxId: 'PL5260250274', bankAccount: 'PL61 1090 1014 0000 0712 1981 2874' },
  IT: { legalName: 'Kontor S.r.l.', address: 'Via Esempio 1|00184 Roma RM|Italia', taxId: 'IT01234560017', bankAccount: 'IT60 X054 2811 1010 0000 0123 456' },
} as const


function parseVendor(env: Env, environment: Environment, defaultVatPercent: number, problems: string[]): VendorConfig {
  const country = (env.VENDOR_COUNTRY ?? 'PL').toUpperCase()
  const demo = country === 'IT' ? DEMO_SELLERS.IT : DEMO_SELLERS.PL
  // The KSeF the invoices go to (KSEF_ENV, checked with the other e-invoicing settings in
  // src/config-einvoice.ts) is the one whose QR host KOD I names; without one, production's.
  const ksefEnv = env.KSEF_ENV?.trim()
  const ksef: KsefEnvironment = ksefEnv === 'prod' ? 'production' : ksefEnv === 'test' || ksefEnv === 'demo' ? ksefEnv : environment === 'production' ? 'production' : 'test'
  const vendor: VendorConfig = {
    country,
    defaultVatPercent,
    legalName: env.VENDOR_LEGAL_NAME || demo.legalName,
    addressLines: (env.VENDOR_ADDRESS?.trim() || demo.address).split('|'),
    taxId: env.VENDOR_TAX_ID?.trim() || demo.taxId,
    bankAccount: env.VENDOR_BANK_ACCOUNT?.trim() || demo.bankAccount,
    timeZone: env.VENDOR_TIME_ZONE ?? 'Europe/Warsaw',
    regimeFiscale: env.VENDOR_REGIME_FISCALE?.trim().toUpperCase() || 'RF01',
    ksefEnvironment: ksef,
  }
  problems.push(...vendorEinvoiceProblems(vendor))
  return vendor
}

type Payments = Pick<Config, 'paymentProvider' | 'paymentMethods' | 'stripe'>
const ALL_METHODS: readonly PaymentMethod[] = ['card', 'paypal', 'transfer']

function parsePayments(env: Env, environment: Environment, problems: string[]): Payments {
  const secretKey = env.STRIPE_SECRET_KEY?.trim() || undefined
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET?.trim() || undefined
  const mode = env.PAYMENTS?.trim() || undefined
  if (mode !== undefined && mode !== 'transfer-only') {
    problems.push(`PAYMENTS may only be "transfer-only" (bank transfers, no card or PayPal), not "${mode}"`)
  }
  if (mode === 'transfer-only') {
    if (secretKey || webhookSecret) problems.push('PAYMENTS=transfer-only and Stripe keys are both set: choose one (unset the Stripe keys, or PAYMENTS)')
    return { paymentProvider: 'none', paymentMethods: ['transfer'], stripe: null }
  }
  if (secretKey && webhookSecret) {
    return { paymentProvider: 'stripe', paymentMethods: ALL_METHODS, stripe: { secretKey, webhookSecret, apiBase: env.STRIPE_API_BASE || undefined } }
  }
  if (secretKey || webhookSecret) {
    problems.push(`${secretKey ? 'STRIPE_WEBHOOK_SECRET' : 'STRIPE_SECRET_KEY'} is not set: set both Stripe keys, or neither`)
  } else if (environment === 'production') {
    // The test provider approves whatever its buttons say: never in production.
    problems.push('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are not set: card and PayPal go through Stripe in production (or set PAYMENTS=transfer-only to take bank transfers only)')
  }
  return { paymentProvider: 'test', paymentMethods: ALL_METHODS, stripe: null }
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

const KEY_HINT = '32 random bytes as 64 hex digits or base64, e.g. from `openssl rand -base64 32`'

function parseECodeSecrets(env: Env, environment: Environment, problems: string[]): Config['ecodeSecrets'] | undefined {
  const key = (name: 'ECODE_LOOKUP_KEY' | 'ECODE_ENCRYPTION_KEY', fallback: string): string | undefined => {
    const text = env[name]?.trim()
    if (!text) {
      // Without its own keys a copy of the database, plus this public file, reveals every code.
      if (environment === 'production') problems.push(`${name} is not set: the e-code key, ${KEY_HINT}`)
      return fallback
    }
    const parsed = parseECodeKey(text)
    if (!parsed.ok) return void problems.push(`${name} ${parsed.error}: it must be ${KEY_HINT}`)
    if (environment === 'production' && Object.values(DEVELOPMENT_ECODE_SECRETS).some((dev) => sameKey(dev, text))) {
      return void problems.push(`${name} is one of the public development keys; production needs its own (${KEY_HINT})`)
    }
    return text
  }
  const lookupKey = key('ECODE_LOOKUP_KEY', DEVELOPMENT_ECODE_SECRETS.lookupKey)
  const encryptionKey = key('ECODE_ENCRYPTION_KEY', DEVELOPMENT_ECODE_SECRETS.encryptionKey)
  if (!lookupKey || !encryptionKey) return undefined
  // The same bytes as HMAC key and AES key is key reuse across algorithms: each key has one job.
  if (sameKey(lookupKey, encryptionKey)) return void problems.push('ECODE_LOOKUP_KEY and ECODE_ENCRYPTION_KEY must be different keys')
  return { lookupKey, encryptionKey }
}

/** Whether two key texts hold the same bytes, however each is written (hex or base64). */
function sameKey(a: string, b: string): boolean {
  const x = parseECodeKey(a)
  const y = parseECodeKey(b)
  return x.ok && y.ok && x.value.every((byte, i) => byte === y.value[i])
}

function parseRate(text: string, problems: string[]): number {
  const rate = Number(text)
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(text) || rate > 100) problems.push(`VENDOR_DEFAULT_VAT must be a percentage such as 23, not "${text}"`)
  return rate
}

/** PORT as `npm start` reads it (src/node.ts), 8080 when unset or not a port number. */
function portFrom(value: string | undefined): number {
  const port = Number(value)
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : 8080
}

export function isPlainHttpLocalhost(baseUrl: string): boolean {
  const url = new URL(baseUrl)
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}
