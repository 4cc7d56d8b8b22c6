// The embedded default: Kontor on Node with a local libSQL file (npm start). Opens and migrates the
// database, seeds demo data on first start outside production, serves the app and public/, and runs
// the scheduled jobs on the cron expressions of wrangler.toml. A configuration production can't run
// on stops it here, at boot, with every setting to fix (src/config.ts).
import { serve } from '@hono/node-server'
import { ConfigError } from './config'
import { buildNodeDeps, DEFAULT_HOST, nodeServer, startScheduler } from './server'
import { DEMO_CUSTOMER, DEMO_MEMBERS, DEMO_OPERATOR, seedDemo } from './seed/index'
import { demoAccountsIn, demoAccountsProblem } from './seed/demo-accounts'

async function main() {
  const port = Number(process.env.PORT ?? 8080)
  const host = process.env.HOST || DEFAULT_HOST
  const deps = await buildNodeDeps(process.env, { port, host })
  const production = deps.config.environment === 'production'
  const demo = production ? await demoAccountsIn(deps.db) : []
  if (demo.length > 0) throw new ConfigError('production', [demoAccountsProblem(demo)])
  // Demo accounts have published passwords: production never gets them.
  const seeded = production ? false : await seedDemo(deps)
  const server = serve({ fetch: nodeServer(deps).fetch, port, hostname: host }, (info) => {
    console.log(`Kontor is running at ${deps.config.baseUrl} (listening on ${host}:${info.port}, ${deps.config.environment})`)
    if (!production) {
      if (seeded) console.log('Seeded the demo data.')
      console.log(`  customer: ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`)
      console.log(`  operator: ${DEMO_OPERATOR.email} / ${DEMO_OPERATOR.password} (sets up its authenticator at first sign-in)`)
      console.log(`  members: ${DEMO_MEMBERS.map((m) => m.email).join(', ')} / ${DEMO_MEMBERS[0].password}`)
      if (!deps.mailer) console.log(`  e-mail stays local: ${deps.config.baseUrl}/dev/mail`)
      if (deps.config.einvoice.mode === 'fake' && deps.einvoicing) console.log(`  e-invoices go to a fake ${deps.einvoicing.channel.name === 'ksef' ? 'KSeF' : 'SdI intermediary'} in this process (docs/einvoices.md)`)
    }
  })
  const jobs = process.env.KONTOR_SCHEDULER === 'off' ? [] : startScheduler(deps)
  const stop = () => {
    for (const job of jobs) job.stop()
    server.close(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e)
  process.exit(1)
})
