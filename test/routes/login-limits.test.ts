// Sign-in under a burst (docs/rules.md, "Throttling"): the per-account failure cap holds however many
// wrong passwords arrive at once, and password hashing runs at most 4 at a time per process.
import { describe, expect, it, vi } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { throttleHits } from '../../src/db/schema'
import { RULES } from '../../src/db/throttle'
import { HASHING } from '../../src/auth/hash-gate'
import { testApp } from '../helpers/app'
import { createUser, PASSWORD } from '../helpers/users'

// scrypt seen from outside: how many run at once, and, while `held`, each waits for the test to let it go.
const hashing = vi.hoisted(() => ({ held: false, inFlight: 0, peak: 0, parked: [] as (() => void)[] }))
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>()
  const scrypt = (...args: unknown[]) => {
    const done = args.pop() as (e: Error | null, key: Buffer) => void
    hashing.inFlight++
    hashing.peak = Math.max(hashing.peak, hashing.inFlight)
    const run = () =>
      (real.scrypt as (...a: unknown[]) => void)(...args, (e: Error | null, key: Buffer) => {
        hashing.inFlight--
        done(e, key)
      })
    if (hashing.held) hashing.parked.push(run)
    else run()
  }
  return { ...real, scrypt, default: { ...real, scrypt } }
})

const t = await testApp({ config: { clientIpHeader: 'cf-connecting-ip' } })

function attempt(email: string, password: string, ip: string) {
  return t.app.request('http://localhost/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost', 'CF-Connecting-IP': ip },
    body: new URLSearchParams({ email, password }),
  })
}

/** Waits until `value` has stopped changing (the burst has gone as far as it can), up to 5 s. */
async function settled(value: () => number) {
  let last = -1
  let still = 0
  for (const until = Date.now() + 5_000; Date.now() < until && still < 5; ) {
    await new Promise((r) => setTimeout(r, 20))
    still = value() === last ? still + 1 : 0
    last = value()
  }
}

function release() {
  hashing.held = false
  for (const run of hashing.parked.splice(0)) run()
}

async function widerHashingQueue<T>(work: () => Promise<T>): Promise<T> {
  const waiting = HASHING.waiting
  HASHING.waiting = 1_000
  try {
    return await work()
  } finally {
    HASHING.waiting = waiting
  }
}

const failures = async (email: string) =>
  (await t.db.select({ count: throttleHits.count }).from(throttleHits).where(and(eq(throttleHits.bucket, RULES.loginFailures.bucket), eq(throttleHits.key, email))).get())?.count ?? 0

describe('the per-account failure cap under a burst', () => {
  it('answers at most 100 of 130 concurrent wrong passwords from 26 addresses with 401 and refuses the rest with 429', async () => {
    await createUser(t.deps, { email: 'burst@example.com' })
    // All 130 wait for a hash here, so the cap, not the hashing gate (below), decides.
    const res = await widerHashingQueue(() => Promise.all(Array.from({ length: 130 }, (_, i) => attempt('burst@example.com', `guess ${i}`, `10.1.0.${i % 26}`))))
    const statuses = res.map((r) => r.status)
    expect(statuses.filter((s) => s === 401)).toHaveLength(100)
    expect(statuses.filter((s) => s === 429)).toHaveLength(30)
    expect(await failures('burst@example.com')).toBe(100)
  }, 30_000)

  it('refuses the right password whose check ends after the cap was reached meanwhile', async () => {
    await createUser(t.deps, { email: 'late-right@example.com' })
    hashing.held = true
    const right = attempt('late-right@example.com', PASSWORD, '10.2.0.1')
    await settled(() => hashing.parked.length)
    // While its hash runs, wrong passwords from elsewhere fill the cap.
    await t.db
      .insert(throttleHits)
      .values({ bucket: RULES.loginFailures.bucket, key: 'late-right@example.com', windowStart: Math.floor(t.clock.now().getTime() / RULES.loginFailures.windowMs) * RULES.loginFailures.windowMs, count: RULES.loginFailures.limit, expiresAt: t.clock.now().getTime() + 2 * RULES.loginFailures.windowMs })
    release()
    const res = await right
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(res.headers.getSetCookie().filter((c) => c.startsWith('kontor_session='))).toEqual([])
  })
})

describe('password hashing under a burst', () => {
  it('hashes at most 4 passwords at once; 64 more wait their turn and the rest get 429 with Retry-After at once', async () => {
    hashing.held = true
    hashing.peak = 0
    const pending = Array.from({ length: 100 }, (_, i) => attempt(`nobody-${i}@example.com`, 'wrong password', `10.3.${i >> 8}.${i & 255}`))
    const answered: Response[] = []
    for (const p of pending) void Promise.resolve(p).then((r) => answered.push(r))
    await settled(() => answered.length + hashing.parked.length)
    expect(hashing.peak).toBe(4)
    expect(answered.map((r) => r.status)).toEqual(Array(32).fill(429))
    expect(answered.every((r) => r.headers.get('Retry-After') === '5')).toBe(true)
    release()
    const statuses = (await Promise.all(pending)).map((r) => r.status)
    expect(statuses.filter((s) => s === 401)).toHaveLength(68)
    expect(hashing.peak).toBe(4)
  }, 30_000)
})
