// Seeds the demo data (src/seed: the catalog, a customer, an operator and the customer's company) once, into the database
// of db-from-env. npm run dev:worker runs it against the development libSQL server; npm start seeds
// its own file. The demo sign-ins have published passwords, so only a database on this machine is
// accepted.
import { systemClock } from '../src/clock'
import { loadConfig } from '../src/config'
import { DEMO_CUSTOMER, DEMO_MEMBERS, DEMO_OPERATOR, seedDemo } from '../src/seed/index'
import { openDatabaseFromEnv } from './db-from-env'
import { paymentProviderFor } from '../src/payments'

const remote = process.env.TURSO_DATABASE_URL
if (remote && !['localhost', '127.0.0.1', '[::1]'].includes(new URL(remote).hostname)) {
  console.error(`Refusing to seed demo accounts (known passwords) into ${remote}: only a local database.`)
  process.exit(1)
}
const { db, close, where } = await openDatabaseFromEnv()
const config = loadConfig(process.env)
const seeded = await seedDemo({ db, clock: systemClock, config, mailer: null, payments: paymentProviderFor(config, db) })
close()
console.log(seeded ? `Seeded the demo data into ${where}` : `The demo data is already in ${where}`)
console.log(`  customer: ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`)
console.log(`  operator: ${DEMO_OPERATOR.email} / ${DEMO_OPERATOR.password} (sets up its authenticator at first sign-in)`)
console.log(`  members: ${DEMO_MEMBERS.map((m) => m.email).join(', ')} / ${DEMO_MEMBERS[0].password}`)
