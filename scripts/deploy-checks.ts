// What `npm run deploy` checks before it changes anything: that the Worker environment being
// deployed has every setting production needs, as a secret (`wrangler secret list` names them) or
// as a var of wrangler.toml — judged by src/config.ts itself, so the deploy and the running Worker
// can't disagree — and that no key sits in clear in wrangler.toml.
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parse } from 'smol-toml'
import { ConfigError, loadConfig } from '../src/config'

/** Settings that must never be committed in wrangler.toml's [vars]: they are keys. */
export const SECRET_ONLY = ['TURSO_AUTH_TOKEN', 'RESEND_API_KEY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'ECODE_LOOKUP_KEY', 'ECODE_ENCRYPTION_KEY', 'KSEF_TOKEN', 'KSEF_OFFLINE_KEY', 'SDI_API_KEY', 'SDI_WEBHOOK_SECRET'] as const

/**
 * Stand-ins for secrets, whose values wrangler can't read back: each is a value the configuration
 * accepts, so only what is missing (or wrong in [vars]) is reported.
 */
const STAND_INS: Record<string, string> = {
  BASE_URL: 'https://secret.invalid',
  ECODE_LOOKUP_KEY: Buffer.alloc(32, 1).toString('base64'),
  ECODE_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
  VENDOR_DEFAULT_VAT: '23',
  PAYMENTS: 'transfer-only',
  VENDOR_TAX_ID: 'PL5260250274',
  KSEF_ENV: 'prod',
  EINVOICE: 'off',
  SDI_URL: 'https://secret.invalid',
  SDI_WEBHOOK_SECRET: 'a stand-in webhook secret of 32 characters or more',
  KSEF_OFFLINE_CERT_SERIAL: '01',
}

/** A throwaway P-256 key standing in for KSEF_OFFLINE_KEY: made when asked for, never used to sign. */
function standIn(name: string): string {
  if (name === 'KSEF_OFFLINE_KEY') return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  return STAND_INS[name] ?? 'set as a secret'
}

type WranglerToml = { vars?: Record<string, unknown>; env?: Record<string, { vars?: Record<string, unknown> }> }

/** The [vars] of an environment (the top level when none is named); wrangler doesn't inherit vars into environments. */
export function varsOf(tomlPath: string, environment: string | undefined): Record<string, string> {
  const toml = parse(readFileSync(tomlPath, 'utf8')) as WranglerToml
  if (environment && !toml.env?.[environment]) throw new Error(`wrangler.toml has no [env.${environment}]`)
  const vars = (environment ? toml.env![environment]!.vars : toml.vars) ?? {}
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)]))
}

/** Every problem that would stop the deployed Worker, or that puts a key in clear; empty when it may deploy. */
export function deployProblems(vars: Record<string, string>, secretNames: string[]): string[] {
  const problems = SECRET_ONLY.filter((name) => name in vars).map((name) => `${name} is in wrangler.toml's [vars], in clear in the repository: remove it there and put it as a secret (wrangler secret put ${name})`)
  const env: Record<string, string> = { ...vars }
  for (const name of secretNames) env[name] = standIn(name)
  try {
    loadConfig(env, { kind: 'worker' })
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e
    problems.push(...e.problems)
  }
  return problems
}
