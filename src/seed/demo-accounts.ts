// The demo accounts of a local installation (npm start): their passwords are published in the
// README, so production refuses to run while any of them is in its database (src/node.ts at boot,
// src/worker.ts at an isolate's first request).
import { inArray } from 'drizzle-orm'
import type { Db } from '../db/client'
import { users } from '../db/schema'

export const DEMO_CUSTOMER = { email: 'demo@kontor.localhost', password: 'kontor-demo-customer', name: 'Anna Kowalska' }
export const DEMO_OPERATOR = { email: 'ops@kontor.localhost', password: 'kontor-demo-operator', name: 'Marco Rossi' }
/** The demo company's two members (src/seed/demo-company.ts), who may sign in to see a member's view. */
export const DEMO_MEMBERS = [
  { email: 'ewa@kontor.localhost', password: 'kontor-demo-member', name: 'Ewa Nowak' },
  { email: 'tomasz@kontor.localhost', password: 'kontor-demo-member', name: 'Tomasz Wiśniewski' },
] as const

/** The company the demo customer administers: a valid NIP (the 999 tax-office prefix is nobody's). */
export const DEMO_COMPANY = {
  name: 'Biuro Rachunkowe Bilans sp. z o.o.',
  country: 'PL',
  legalForm: 'company',
  taxId: '9990000014',
  addressLine: 'ul. Marszałkowska 10/12',
  postalCode: '00-590',
  city: 'Warszawa',
} as const

const DEMO_EMAILS = [DEMO_CUSTOMER.email, DEMO_OPERATOR.email, ...DEMO_MEMBERS.map((m) => m.email)]

/** The demo accounts present in the database (their e-mail addresses), none in a proper production database. */
export async function demoAccountsIn(db: Db): Promise<string[]> {
  const rows = await db.select({ email: users.email }).from(users).where(inArray(users.email, DEMO_EMAILS))
  return rows.map((r) => r.email).sort((a, b) => DEMO_EMAILS.indexOf(a) - DEMO_EMAILS.indexOf(b))
}

/** The refusal when demo accounts are present, naming them and the way out. */
export function demoAccountsProblem(emails: string[]): string {
  const named = emails.length > 1 ? `${emails.slice(0, -1).join(', ')} and ${emails.at(-1)}` : emails[0]
  return `the database holds the demo accounts ${named}, whose passwords are published: delete them (e.g. DELETE FROM users WHERE email IN ('${emails.join("', '")}')) before running in production`
}
