// npm run ops:grant -- <email>: marks an existing account as an operator (SPEC §15). The operator
// sets up the authenticator (TOTP) at the next sign-in.
import { eq } from 'drizzle-orm'
import { users } from '../src/db/schema'
import { openDatabaseFromEnv } from './db-from-env'

const email = process.argv[2]?.trim().toLowerCase()
if (!email) {
  console.error('usage: npm run ops:grant -- <email>')
  process.exit(2)
}
const { db, close } = await openDatabaseFromEnv()
const updated = await db.update(users).set({ isOperator: true }).where(eq(users.email, email)).returning({ id: users.id })
close()
if (updated.length === 0) {
  console.error(`No account with the e-mail ${email}. Register it first.`)
  process.exit(1)
}
console.log(`${email} is now an operator. At the next sign-in they set up their authenticator app.`)
