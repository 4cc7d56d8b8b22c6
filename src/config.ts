// Configuration read once at an entry point from environment variables (Node) or bindings (Worker).
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
}

export type Env = Record<string, string | undefined>

export function loadConfig(env: Env, defaults: { port?: number } = {}): Config {
  const environment = parseEnvironment(env.KONTOR_ENV ?? env.NODE_ENV)
  const baseUrl = (env.BASE_URL || `http://localhost:${defaults.port ?? 8080}`).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new Error(`BASE_URL must be an absolute http(s) address such as https://panel.example.com, not "${env.BASE_URL}"`)
  }
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
  }
}

function parseEnvironment(value: string | undefined): Environment {
  if (value === 'production' || value === 'test') return value
  return 'development'
}

export function isPlainHttpLocalhost(baseUrl: string): boolean {
  const url = new URL(baseUrl)
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}
