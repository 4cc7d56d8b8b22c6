// The embedded default: Kontor on Node with a local libSQL file (npm start). Opens and migrates the
// database, seeds demo data on first start, serves the app and public/, and runs the scheduled jobs
// on the cron expressions of wrangler.toml.
import { serve } from '@hono/node-server'
import { buildNodeDeps, nodeServer, startScheduler } from './server'
import { DEMO_CUSTOMER, DEMO_OPERATOR, seedDemo } from './seed/index'

async function main() {
  const port = Number(process.env.PORT ?? 8080)
  const deps = await buildNodeDeps(process.env, port)
  const seeded = await seedDemo(deps)
  const server = serve({ fetch: nodeServer(deps).fetch, port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
    console.log(`Kontor is running at ${deps.config.baseUrl} (port ${info.port}, ${deps.config.environment})`)
    if (deps.config.environment !== 'production') {
      if (seeded) console.log('Seeded the demo data.')
      console.log(`  customer: ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`)
      console.log(`  operator: ${DEMO_OPERATOR.email} / ${DEMO_OPERATOR.password} (sets up its authenticator at first sign-in)`)
      if (!deps.mailer) console.log(`  e-mail stays local: ${deps.config.baseUrl}/dev/mail`)
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
  console.error(e)
  process.exit(1)
})
