// Creating users directly in the database, for tests that start from an existing account.
import { users } from '../../src/db/schema'
import { hashPassword } from '../../src/auth/password'
import { generateId } from '../../src/auth/tokens'
import type { Deps } from '../../src/deps'
import { expect } from 'vitest'
import type { TestApp } from './app'

export const PASSWORD = 'correct horse battery'

type UserOptions = { email?: string; name?: string; language?: 'en' | 'pl' | 'it'; activated?: boolean; operator?: boolean; password?: string }

export async function createUser(deps: Deps, opts: UserOptions = {}) {
  const now = deps.clock.now()
  const row = {
    id: generateId(),
    email: (opts.email ?? `user-${generateId()}@example.com`).toLowerCase(),
    name: opts.name ?? 'Jan Nowak',
    language: opts.language ?? 'en',
    passwordHash: await hashPassword(opts.password ?? PASSWORD, deps.config.passwordCost),
    activatedAt: opts.activated === false ? null : now,
    isOperator: opts.operator ?? false,
    createdAt: now,
  } as const
  await deps.db.insert(users).values(row)
  return row
}

/**
 * A user created in the database and signed in through the sign-in form, with the browser that
 * holds the session. Named after the e-mail's local part unless a name is given.
 */
export async function signedIn(t: TestApp, email: string, opts: Omit<UserOptions, 'email'> = {}) {
  const user = await createUser(t.deps, { name: email.split('@')[0], ...opts, email })
  const b = t.browser()
  const res = await b.post('/login', { email, password: opts.password ?? PASSWORD })
  expect(res.status).toBe(303)
  return { user, b }
}

/** Extracts the first link to `path` from a mail's text part. */
export function linkIn(text: string, path: string): string {
  const m = new RegExp(`https?://[^\\s]+${path.replace(/\//g, '\\/')}[^\\s]*`).exec(text)
  if (!m) throw new Error(`no ${path} link in mail:\n${text}`)
  return new URL(m[0]).pathname
}

let nipCounter = 100_000
/** A fresh valid Polish NIP (check digit computed), so tests can create as many companies as they need. */
export function nextNip(): string {
  for (;;) {
    const body = String(1_000_000_00 + nipCounter++ * 7919).slice(-9)
    const weights = [6, 5, 7, 2, 3, 4, 5, 6, 7]
    const check = weights.reduce((sum, w, i) => sum + w * Number(body[i]), 0) % 11
    if (check !== 10 && body[0] !== '0') return body + String(check)
  }
}
