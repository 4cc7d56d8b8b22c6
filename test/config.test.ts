// Fail-closed configuration on Node (issue 14): which environment a start is in, and production's
// refusal naming every missing or unsafe setting. The same rules in workerd: test/worker/production-config.test.ts.
import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ConfigError, DEVELOPMENT_ECODE_SECRETS, loadConfig, type Env } from '../src/config'
import { resolveEnvironment } from '../src/config-environment'
import { PRODUCTION_ENV } from './helpers/production-env'

const PRODUCTION: Env = PRODUCTION_ENV
const PUBLIC_NODE = { kind: 'node', host: '0.0.0.0', port: 8080 } as const
const LOCAL_NODE = { kind: 'node', host: '127.0.0.1', port: 8080 } as const

function problemsOf(env: Env, runtime: Parameters<typeof loadConfig>[1] = PUBLIC_NODE): string[] {
  try {
    loadConfig(env, runtime)
  } catch (e) {
    if (e instanceof ConfigError) return e.problems
    throw e
  }
  return []
}

describe('which environment a start is in', () => {
  it.each([
    ['npm start as it comes: loopback, no BASE_URL', 'development', {}, LOCAL_NODE],
    ['loopback by name', 'development', {}, { kind: 'node', host: 'localhost' }],
    ['IPv6 loopback', 'development', {}, { kind: 'node', host: '::1' }],
    ['listening on every address', 'production', {}, PUBLIC_NODE],
    ['loopback behind a proxy with a public BASE_URL', 'production', { BASE_URL: 'https://panel.example.test' }, LOCAL_NODE],
    ['KONTOR_ENV=development on every address', 'development', { KONTOR_ENV: 'development' }, PUBLIC_NODE],
    ['NODE_ENV=production on loopback', 'production', { NODE_ENV: 'production' }, LOCAL_NODE],
    ['KONTOR_ENV before NODE_ENV', 'test', { KONTOR_ENV: 'test', NODE_ENV: 'production' }, LOCAL_NODE],
    ['an unknown KONTOR_ENV on every address', 'production', { KONTOR_ENV: 'staging' }, PUBLIC_NODE],
    ['a Worker', 'production', {}, { kind: 'worker' }],
    ['a Worker told development on a public address', 'production', { KONTOR_ENV: 'development', BASE_URL: 'https://panel.example.test' }, { kind: 'worker' }],
    ['a Worker told development without BASE_URL', 'production', { KONTOR_ENV: 'development' }, { kind: 'worker' }],
    ['wrangler dev on loopback, told development', 'development', { KONTOR_ENV: 'development', BASE_URL: 'http://127.0.0.1:8787' }, { kind: 'worker' }],
    ['a script without BASE_URL', 'development', {}, { kind: 'script' }],
    ['a script with BASE_URL', 'production', { BASE_URL: 'https://panel.example.test' }, { kind: 'script' }],
  ] as const)('%s → %s', (_, expected, env, runtime) => {
    expect(resolveEnvironment(env, runtime)).toBe(expected)
  })
})

describe('production on Node', () => {
  it('starts with every setting, with Secure __Host- cookies and Stripe for cards', () => {
    const config = loadConfig(PRODUCTION, PUBLIC_NODE)
    expect(config).toMatchObject({ environment: 'production', secureCookies: true, paymentProvider: 'stripe', paymentMethods: ['card', 'paypal', 'transfer'] })
    expect(config.vendor).toMatchObject({ legalName: 'Example Vendor sp. z o.o.', taxId: 'PL7740001454', addressLines: ['ul. Testowa 1', '00-950 Warszawa', 'Polska'] })
  })

  it('names every missing setting at once, with nothing set', () => {
    const text = problemsOf({}).join('\n')
    for (const name of ['BASE_URL', 'RESEND_API_KEY', 'MAIL_FROM', 'VENDOR_LEGAL_NAME', 'VENDOR_ADDRESS', 'VENDOR_TAX_ID', 'VENDOR_BANK_ACCOUNT', 'STRIPE_SECRET_KEY', 'ECODE_LOOKUP_KEY', 'ECODE_ENCRYPTION_KEY', 'KSEF_TOKEN']) {
      expect(text).toContain(name)
    }
    // The database of the Node server is its file: no Turso settings are asked for.
    expect(text).not.toContain('TURSO')
  })

  it.each(['BASE_URL', 'RESEND_API_KEY', 'MAIL_FROM', 'VENDOR_LEGAL_NAME', 'VENDOR_ADDRESS', 'VENDOR_TAX_ID', 'VENDOR_BANK_ACCOUNT', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'ECODE_LOOKUP_KEY', 'ECODE_ENCRYPTION_KEY', 'EINVOICE'])(
    'names %s alone when only it is missing (or empty)',
    (name) => {
      for (const env of [{ ...PRODUCTION, [name]: undefined }, { ...PRODUCTION, [name]: '  ' }]) {
        const problems = problemsOf(env)
        expect(problems).toHaveLength(1)
        expect(problems[0]).toContain(name)
      }
    },
  )

  it.each([
    ['an http BASE_URL', { BASE_URL: 'http://panel.example.test' }, 'BASE_URL must be an https address'],
    ['a BASE_URL that is not an address', { BASE_URL: 'panel.example.test' }, 'BASE_URL must be an absolute http(s) address'],
    ['a public development e-code key', { ECODE_ENCRYPTION_KEY: DEVELOPMENT_ECODE_SECRETS.encryptionKey }, 'ECODE_ENCRYPTION_KEY is one of the public development keys'],
    ['the same e-code key twice, once hex and once base64', { ECODE_ENCRYPTION_KEY: Buffer.from(PRODUCTION.ECODE_LOOKUP_KEY!, 'base64').toString('hex') }, 'must be different keys'],
    ['Stripe keys with PAYMENTS=transfer-only', { PAYMENTS: 'transfer-only' }, 'choose one'],
    ['an unknown PAYMENTS', { PAYMENTS: 'cash' }, 'PAYMENTS may only be "transfer-only"'],
    ['a VAT rate that is not a percentage', { VENDOR_DEFAULT_VAT: '23%' }, 'VENDOR_DEFAULT_VAT'],
    ['a Polish seller’s tax id that is not a NIP', { VENDOR_TAX_ID: 'PL123' }, 'VENDOR_TAX_ID must be the seller\'s NIP'],
    ['a Polish seller’s default rate that is not a Polish one', { VENDOR_DEFAULT_VAT: '19' }, 'VENDOR_DEFAULT_VAT must be a Polish VAT rate'],
    ['an Italian seller with a Polish tax id', { VENDOR_COUNTRY: 'IT', VENDOR_ADDRESS: 'Via Roma 1|00184 Roma RM', VENDOR_BANK_ACCOUNT: 'IT60X0542811101000000123456' }, 'partita IVA'],
    ['an Italian seller’s address without CAP and comune', { VENDOR_COUNTRY: 'IT', VENDOR_TAX_ID: 'IT01234560017', VENDOR_ADDRESS: 'Via Roma 1|Roma', VENDOR_BANK_ACCOUNT: 'IT60X0542811101000000123456' }, '"street|CAP Comune PR|…"'],
    ['an Italian seller’s unknown fiscal regime', { VENDOR_COUNTRY: 'IT', VENDOR_TAX_ID: 'IT01234560017', VENDOR_ADDRESS: 'Via Roma 1|00184 Roma RM', VENDOR_BANK_ACCOUNT: 'IT60X0542811101000000123456', VENDOR_REGIME_FISCALE: 'RF03' }, 'VENDOR_REGIME_FISCALE'],
    ['a KSeF token without its environment', { EINVOICE: undefined, KSEF_TOKEN: 'token' }, 'KSEF_ENV is not set'],
    ['an unknown KSeF environment', { EINVOICE: undefined, KSEF_TOKEN: 'token', KSEF_ENV: 'staging' }, 'KSEF_ENV must be test, demo or prod'],
    ['a KSeF address of its own', { EINVOICE: undefined, KSEF_TOKEN: 'token', KSEF_ENV: 'prod', KSEF_URL: 'https://ksef.example' }, 'KSEF_URL is for development and tests'],
    ['EINVOICE=off together with a KSeF token', { KSEF_TOKEN: 'token' }, 'choose one'],
    ['an unknown EINVOICE', { EINVOICE: 'later' }, 'EINVOICE may only be "off"'],
    ['an Italian seller without its SdI intermediary', { EINVOICE: undefined, VENDOR_COUNTRY: 'IT', VENDOR_TAX_ID: 'IT01234560017', VENDOR_ADDRESS: 'Via Roma 1|00184 Roma RM', VENDOR_BANK_ACCOUNT: 'IT60X0542811101000000123456' }, 'SDI_URL, SDI_API_KEY and SDI_WEBHOOK_SECRET are not set'],
    ['half of the SdI settings', { EINVOICE: undefined, VENDOR_COUNTRY: 'IT', VENDOR_TAX_ID: 'IT01234560017', VENDOR_ADDRESS: 'Via Roma 1|00184 Roma RM', VENDOR_BANK_ACCOUNT: 'IT60X0542811101000000123456', SDI_URL: 'https://sdi.example', SDI_API_KEY: 'k' }, 'SDI_WEBHOOK_SECRET is not set'],
    ['an http SdI intermediary', { EINVOICE: undefined, VENDOR_COUNTRY: 'IT', VENDOR_TAX_ID: 'IT01234560017', VENDOR_ADDRESS: 'Via Roma 1|00184 Roma RM', VENDOR_BANK_ACCOUNT: 'IT60X0542811101000000123456', SDI_URL: 'http://sdi.example', SDI_API_KEY: 'k', SDI_WEBHOOK_SECRET: 'x'.repeat(32) }, 'SDI_URL must be an https address'],
    ['an http NBP', { EINVOICE: undefined, KSEF_TOKEN: 'token', KSEF_ENV: 'prod', NBP_URL: 'http://api.nbp.pl/api' }, 'NBP_URL must be an https address'],
  ])('refuses %s', (_, change, message) => {
    const problems = problemsOf({ ...PRODUCTION, ...change })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(message)
  })

  it('takes bank transfers only with PAYMENTS=transfer-only instead of Stripe keys', () => {
    const config = loadConfig({ ...PRODUCTION, STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, PAYMENTS: 'transfer-only' }, PUBLIC_NODE)
    expect(config).toMatchObject({ paymentProvider: 'none', paymentMethods: ['transfer'], stripe: null })
  })

  it('sends to the KSeF of KSEF_ENV with the NIP of VENDOR_TAX_ID, or to the intermediary of an Italian seller', () => {
    expect(loadConfig({ ...PRODUCTION, EINVOICE: undefined, KSEF_TOKEN: 'token', KSEF_ENV: 'demo' }, PUBLIC_NODE).einvoice).toEqual({
      mode: 'ksef',
      environment: 'demo',
      apiBase: 'https://api-demo.ksef.mf.gov.pl/v2',
      token: 'token',
      nip: PRODUCTION.VENDOR_TAX_ID!.slice(2),
      // The NBP's own API for the VAT in złoty of invoices in euro; NBP_URL may name another over https.
      nbpUrl: 'https://api.nbp.pl/api',
    })
    expect(loadConfig({ ...PRODUCTION, EINVOICE: undefined, KSEF_TOKEN: 'token', KSEF_ENV: 'demo', NBP_URL: 'https://nbp-mirror.example/api' }, PUBLIC_NODE).einvoice).toMatchObject({ nbpUrl: 'https://nbp-mirror.example/api' })
    const italian = { ...PRODUCTION, EINVOICE: undefined, VENDOR_COUNTRY: 'IT', VENDOR_TAX_ID: 'IT01234560017', VENDOR_ADDRESS: 'Via Roma 1|00184 Roma RM', VENDOR_BANK_ACCOUNT: 'IT60X0542811101000000123456', SDI_URL: 'https://sdi.example', SDI_API_KEY: 'k', SDI_WEBHOOK_SECRET: 'x'.repeat(32) }
    expect(loadConfig(italian, PUBLIC_NODE).einvoice).toEqual({ mode: 'sdi', apiBase: 'https://sdi.example', apiKey: 'k', webhookSecret: 'x'.repeat(32) })
    // A seller elsewhere has no channel: nothing to set.
    expect(loadConfig({ ...PRODUCTION, EINVOICE: undefined, VENDOR_COUNTRY: 'DE' }, PUBLIC_NODE).einvoice).toEqual({ mode: 'off', reason: 'country' })
  })

  it('says what to do in its message, one setting per line', () => {
    expect(() => loadConfig({ ...PRODUCTION, MAIL_FROM: undefined }, PUBLIC_NODE)).toThrow(/refuses to start until these settings are fixed:\n {2}- MAIL_FROM is not set/)
  })
})

describe("KOD II's Offline certificate (KSEF_OFFLINE_CERT_SERIAL, KSEF_OFFLINE_KEY)", () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  const KSEF = { ...PRODUCTION, EINVOICE: undefined, KSEF_TOKEN: 'token', KSEF_ENV: 'prod' }

  it('is optional: without it offline invoices carry KOD I alone', () => {
    expect(loadConfig(KSEF, PUBLIC_NODE).ksefOffline).toBeNull()
  })

  it('reads the serial in upper-case hex and the key KSeF takes', () => {
    const config = loadConfig({ ...KSEF, KSEF_OFFLINE_CERT_SERIAL: '01f20a5d352ae590', KSEF_OFFLINE_KEY: ec }, PUBLIC_NODE)
    expect(config.ksefOffline).toMatchObject({ serial: '01F20A5D352AE590', key: { algorithm: 'ECDSA', bits: 256 } })
  })

  it.each([
    ['a serial that is not hex', { KSEF_OFFLINE_CERT_SERIAL: 'serial-1', KSEF_OFFLINE_KEY: ec }, 'KSEF_OFFLINE_CERT_SERIAL must be the KSeF certificate\'s serial number in hex'],
    ['a key that does not parse', { KSEF_OFFLINE_CERT_SERIAL: '01F2', KSEF_OFFLINE_KEY: 'MIIE…' }, 'KSEF_OFFLINE_KEY is not a PEM private key'],
    ['an RSA key too short', { KSEF_OFFLINE_CERT_SERIAL: '01F2', KSEF_OFFLINE_KEY: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }, 'KSEF_OFFLINE_KEY is an RSA key of 1024 bits'],
    ['the serial without its key', { KSEF_OFFLINE_CERT_SERIAL: '01F2' }, 'KSEF_OFFLINE_KEY is not set'],
    ['an Italian seller with them', { KSEF_OFFLINE_CERT_SERIAL: '01F2', KSEF_OFFLINE_KEY: ec, VENDOR_COUNTRY: 'IT', VENDOR_TAX_ID: 'IT01234560017', VENDOR_ADDRESS: 'Via Roma 1|00184 Roma RM', VENDOR_BANK_ACCOUNT: 'IT60X0542811101000000123456', KSEF_TOKEN: undefined, KSEF_ENV: undefined, EINVOICE: 'off' }, 'are for a Polish seller'],
  ])('refuses %s with a clear message, in production and in development alike', (_, change, message) => {
    const problems = problemsOf({ ...KSEF, ...change })
    expect(problems).toEqual([expect.stringContaining(message)])
    expect(problemsOf({ ...change, KONTOR_ENV: 'development' }, LOCAL_NODE)).toEqual([expect.stringContaining(message)])
  })
})

describe('development', () => {
  it('runs with nothing set: the demo seller, local mail, the test provider, plain cookies on localhost', () => {
    const config = loadConfig({}, LOCAL_NODE)
    expect(config).toMatchObject({ environment: 'development', baseUrl: 'http://localhost:8080', secureCookies: false, paymentProvider: 'test', resendApiKey: undefined })
    expect(config.vendor.legalName).toBe('Kontor sp. z o.o.')
    expect(config.vendor).toMatchObject({ country: 'PL', ksefEnvironment: 'test', regimeFiscale: 'RF01' })
    // The fake KSeF stands in (started by the entry point), so KSeF numbers appear locally.
    // The fake NBP too (nbpUrl null), so invoices in euro get their VAT in złoty; NBP_URL names another.
    expect(config.einvoice).toEqual({ mode: 'fake', channel: 'ksef', nip: '5260250274', nbpUrl: null })
    expect(loadConfig({ NBP_URL: 'http://127.0.0.1:8791/api' }, LOCAL_NODE).einvoice).toMatchObject({ nbpUrl: 'http://127.0.0.1:8791/api' })
  })

  it('with VENDOR_COUNTRY=IT, an Italian demo seller whose FatturaPA can be written; production’s KOD I points at the production KSeF', () => {
    expect(loadConfig({ VENDOR_COUNTRY: 'IT' }, LOCAL_NODE).vendor).toMatchObject({ country: 'IT', legalName: 'Kontor S.r.l.', taxId: 'IT01234560017', addressLines: ['Via Esempio 1', '00184 Roma RM', 'Italia'] })
    expect(loadConfig(PRODUCTION, PUBLIC_NODE).vendor.ksefEnvironment).toBe('production')
    // KOD I names the KSeF the invoices go to.
    expect(loadConfig({ ...PRODUCTION, EINVOICE: undefined, KSEF_TOKEN: 'token', KSEF_ENV: 'demo' }, PUBLIC_NODE).vendor.ksefEnvironment).toBe('demo')
    expect(loadConfig({ ...PRODUCTION, EINVOICE: undefined, KSEF_TOKEN: 'token', KSEF_ENV: 'prod' }, PUBLIC_NODE).vendor.ksefEnvironment).toBe('production')
  })

  it('still refuses settings that are wrong in any environment', () => {
    expect(problemsOf({ STRIPE_SECRET_KEY: 'sk_test_x' }, LOCAL_NODE)).toEqual(['STRIPE_WEBHOOK_SECRET is not set: set both Stripe keys, or neither'])
    expect(problemsOf({ ECODE_LOOKUP_KEY: 'short' }, LOCAL_NODE)[0]).toContain('ECODE_LOOKUP_KEY')
  })
})
