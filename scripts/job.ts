// npm run job -- <name> [--now <ISO time>]: runs one scheduled job by hand, optionally as of a
// simulated time (SPEC §13). Same database selection as the server (DATABASE_PATH or Turso).
import { isJobName, JOBS, runNamedJob } from '../src/jobs'
import { loadConfig } from '../src/config'
import { systemClock } from '../src/clock'
import { migrateDatabase } from '../src/db/local'
import { ResendMailer } from '../src/mail/mailer'
import { openDatabaseFromEnv } from './db-from-env'
import { paymentProviderFor } from '../src/payments'
import { appNow } from '../src/services/test-clock'
import { einvoicingFor } from '../src/einvoice'

const args = process.argv.slice(2)
const name = args.find((a) => !a.startsWith('--'))
const nowIndex = args.indexOf('--now')
const nowArg = nowIndex >= 0 ? args[nowIndex + 1] : undefined
if (!name || !isJobName(name)) {
  console.error(`usage: npm run job -- <${Object.keys(JOBS).join('|')}> [--now <ISO time>]`)
  process.exit(2)
}
const given = nowArg ? new Date(nowArg) : null
if (given && Number.isNaN(given.getTime())) {
  console.error(`--now must be an ISO time such as 2026-12-01T03:00:00Z, not "${nowArg}"`)
  process.exit(2)
}
const { db, close } = await openDatabaseFromEnv()
if (!process.env.TURSO_DATABASE_URL) await migrateDatabase(db)
const config = loadConfig(process.env)
const deps = {
  db,
  // The real clock even with --now: the run works as of `now`, but its lease and its record's start
  // and end are real time, so a run killed mid-way frees its job within a minute of real time
  // rather than of the simulated one (which may be months ahead).
  clock: systemClock,
  config,
  mailer: config.resendApiKey ? new ResendMailer(config.resendApiKey, config.resendBaseUrl) : null,
  payments: paymentProviderFor(config, db),
  // The real KSeF/SdI settings (or KSEF_URL to a fake started apart, npm run fake:ksef); no fake starts here.
  einvoicing: einvoicingFor(config.einvoice),
}
// Without --now, the app's time: the test clock's when one is set (outside production), as the server's jobs use.
const now = given ?? (await appNow(deps))
const result = await runNamedJob(deps, name, now)
close()
console.log(JSON.stringify({ job: name, asOf: now.toISOString(), ...result }, null, 2))
process.exit(result.status === 'error' ? 1 : 0)
