// The demo accounts of a local installation (npm start): their passwords are published in the
// README, so production refuses to run while either is in its database (src/node.ts at boot,
// src/worker.ts at an isolate's first request).
import { inArray } from 'drizzle-orm'
import type { Db } from '../db/client'
import { users } from '../db/schema'

export const DEMO_CUSTOMER = { email: 'demo@kontor.localhost', password: 'kontor-demo-customer', name: 'Anna Kowalska' }
export const DEMO_OPERATOR = { email: 'ops@kontor.localhost', password: 'kontor-demo-operator', name: 'Marco Rossi' }

/** The demo accounts present in the database (their e-mail addresses), none in a proper production database. */
export async function demoAccountsIn(db: Db): Promise<string[]> {
  const rows = await db.select({ email: users.email }).from(users).where(inArray(users.email, [DEMO_CUSTOMER.email, DEMO_OPERATOR.email]))
  return rows.map((r) => r.email)
}

/** The refusal when demo accounts are present, naming them and the way out. */
export function demoAccountsProblem(emails: string[]): string {
  return `the database holds the demo accounts ${emails.join(' and ')}, whose passwords are published: delete them (e.g. DELETE FROM users WHERE email IN ('${emails.join("', '")}')) before running in production`
}
