// The Worker entry (src/worker.ts) in `wrangler dev` — workerd, as on Cloudflare — over real HTTP, its
// database the development libSQL server on a temporary file (as `npm run dev:worker` runs it):
// register → activate → sign in → account page, then a Cron Trigger runs the mail job.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from '@libsql/client'
import { and, desc, eq, gt, max } from 'drizzle-orm'
import { startDevLibsqlServer, type DevLibsqlServer } from '../../scripts/dev-libsql-server'
import { startWranglerDev, type WranglerDev } from '../../scripts/wrangler-dev'
import { databaseFrom, type Db } from '../../src/db/client'
import { migrateDatabase } from '../../src/db/local'
import { jobRuns, memberships, orgs, outbox, statements, users } from '../../src/db/schema'
import { databaseBlobStore } from '../../src/blob/database'
import { systemClock } from '../../src/clock'
import { readCronExpressions } from '../../src/cron'
import { TEST_PASSWORD_COST, verifyPassword, type PasswordCost } from '../../src/auth/password'
import { CRON_TABLE } from '../../src/jobs'
import { IMMUTABLE, STATIC_HEADERS } from '../../src/server'
import { Browser, textOf } from '../helpers/app'
import { createUser, nextNip, PASSWORD } from '../helpers/users'
import { pdfText } from '../helpers/pdf'
import { registerActivateSignIn } from './foundation'

const dir = mkdtempSync(join(tmpdir(), 'kontor-worker-'))
let libsql: DevLibsqlServer
/** The test's own view of the database, through the same server. */
let client: Client
let db: Db
let worker: WranglerDev | undefined
let origin = ''
const log = () => worker?.log() ?? ''

beforeAll(async () => {
  libsql = await startDevLibsqlServer({ path: join(dir, 'worker.db'), port: 0 })
  client = createClient({ url: libsql.url })
  db = databaseFrom(client)
  await migrateDatabase(db) // over HTTP, as the deploy step migrates Turso
  worker = await startWranglerDev({
    vars: { TURSO_DATABASE_URL: libsql.url, KONTOR_ENV: 'development', RESEND_API_KEY: '' },
    persistTo: join(dir, 'wrangler'),
    testScheduled: true,
  })
  origin = worker.origin
}, 60_000)

afterAll(async () => {
  await worker?.stop()
  client?.close()
  await libsql?.close()
  rmSync(dir, { recursive: true, force: true })
}, 15_000)

/** What createUser needs to write a user straight into the database, its password hashed (in Node) at `cost`. */
const writer = (cost: PasswordCost) => ({ db, clock: systemClock, config: { passwordCost: cost } }) as never

/**
 * Fires a Cron Trigger the way `wrangler dev --test-scheduled` allows: /__scheduled runs the scheduled
 * handler to its end and answers 200, or 500 with the error the handler threw.
 */
const fire = (cron: string) => fetch(`${origin}/__scheduled?cron=${encodeURIComponent(cron).replace(/%20/g, '+')}`)

const lastRunId = async () => (await db.select({ id: max(jobRuns.id) }).from(jobRuns).get())?.id ?? 0

/** The job's last run recorded after `afterId` (the handler awaits its runs, so they are done when it answers). */
const runAfter = (job: string, afterId: number) => db.select().from(jobRuns).where(and(eq(jobRuns.job, job), gt(jobRuns.id, afterId))).orderBy(desc(jobRuns.id)).get()

describe('the Worker under wrangler dev, on the development libSQL server', () => {
  const email = 'worker-user@example.com'
  const password = 'workers and pierogi'
  // A tiny browser over real HTTP: keeps cookies, sends Origin with forms, does not follow redirects.
  const browser = () => new Browser({ request: (url, init) => fetch(url, { ...init, redirect: 'manual' }) }, origin)
  const b = { current: undefined as Browser | undefined }

  it('shows the sign-in form', async () => {
    const res = await fetch(`${origin}/login`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/<form[^>]+method="post"/)
    expect(html).toContain('name="email"')
    expect(html).toContain('name="password"')
  })

  it('serves the static files with the headers of public/_headers, as on Node', async () => {
    const res = await fetch(`${origin}/app.css`)
    expect(res.status).toBe(200)
    await res.text()
    for (const [name, value] of Object.entries(STATIC_HEADERS)) expect(res.headers.get(name), name).toBe(value)
    // Pages link the fingerprinted copies the [build] step wrote, kept a year.
    const html = await (await fetch(`${origin}/login`)).text()
    const css = /href="(\/assets\/app\.[0-9a-f]{10}\.css)"/.exec(html)?.[1]
    expect(css).toBeDefined()
    const copy = await fetch(`${origin}${css}`)
    expect(copy.status).toBe(200)
    expect(await copy.text()).toBe(readFileSync('public/app.css', 'utf8'))
    expect(copy.headers.get('Cache-Control')).toBe(IMMUTABLE)
    expect(copy.headers.get('X-Content-Type-Options')).toBe('nosniff')
  })

  it('registers, activates from the e-mail link and signs in; the account page knows the user', async () => {
    b.current = browser()
    await registerActivateSignIn(b.current, db, origin, { name: 'Wanda Worker', email, password })
  })

  it("hashes with node:crypto's scrypt in workerd at OWASP's cost, and re-makes older hashes (N=2^14, and the 128 MiB N=2^17) at it when their owner signs in", async () => {
    // Made in workerd at registration, verified there at sign-in (the test before).
    const hashOf = async (address: string) => (await db.select().from(users).where(eq(users.email, address)).get())!.passwordHash
    expect(await hashOf(email)).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$/)
    for (const cost of [{ ln: 14, r: 8, p: 1 }, { ln: 17, r: 8, p: 1 }]) {
      const user = await createUser(writer(cost), { email: `worker-ln${cost.ln}@example.com` })
      expect(user.passwordHash).toMatch(new RegExp(`^\\$scrypt\\$ln=${cost.ln},r=8,p=1\\$`))
      expect((await browser().post('/login', { email: user.email, password: 'not the password' })).status).toBe(401)
      expect(await hashOf(user.email)).toBe(user.passwordHash)
      expect((await browser().post('/login', { email: user.email, password: PASSWORD })).status).toBe(303)
      const upgraded = await hashOf(user.email)
      expect(upgraded).toMatch(/^\$scrypt\$ln=16,r=8,p=2\$/)
      expect(await verifyPassword(upgraded, PASSWORD)).toBe(true)
    }
  })

  it('serves the statement PDF with the bundled font, and keeps an uploaded scan in the database over HTTP', async () => {
    const created = await b.current!.post('/orgs', { name: 'Łódź Worker sp. z o.o.', country: 'PL', legalForm: 'company', taxId: nextNip(), addressLine: 'ul. Polna 3', postalCode: '90-001', city: 'Łódź', billingEmail: email })
    expect(created.status).toBe(303)
    const org = (await db.select().from(orgs).where(eq(orgs.name, 'Łódź Worker sp. z o.o.')).get())!
    const member = await createUser(writer(TEST_PASSWORD_COST), { email: 'worker-member@example.com' })
    await db.insert(memberships).values({ orgId: org.id, userId: member.id, role: 'member', createdAt: new Date() })
    const mb = browser()
    expect((await mb.post('/login', { email: member.email, password: PASSWORD })).status).toBe(303)
    const pdf = new Uint8Array(await (await mb.get(`/o/${org.slug}/statement.pdf`)).arrayBuffer())
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-')
    expect(pdfText(pdf)).toContain('Łódź Worker sp. z o.o.')
    const form = new FormData()
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'signed.pdf')
    const uploaded = await mb.send(`/o/${org.slug}/statements`, { method: 'POST', body: form, headers: { Origin: origin } })
    expect(uploaded.status).toBe(303)
    const row = (await db.select().from(statements).where(eq(statements.userId, member.id)).get())!
    expect((await databaseBlobStore(db).get(row.fileKey))!.bytes).toEqual(pdf)
  })

  it('reads forms strictly in workerd too: a wrong multipart boundary or invalid UTF-8 is a 400, letters beyond ASCII arrive as typed', async () => {
    const post = (contentType: string, body: string | Uint8Array<ArrayBuffer>) => b.current!.send('/account/profile', { method: 'POST', body, headers: { 'Content-Type': contentType, Origin: origin } })
    const nameNow = async () => (await db.select().from(users).where(eq(users.email, email)).get())!.name
    expect((await post('multipart/form-data; boundary=declared', '--other\r\nContent-Disposition: form-data; name="name"\r\n\r\nX\r\n--other--\r\n')).status).toBe(400)
    expect((await post('application/x-www-form-urlencoded', 'language=en&name=Wanda%FF')).status).toBe(400)
    expect((await post('multipart/form-data; boundary=b', new Uint8Array([...new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="language"\r\n\r\nen\r\n--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nW'), 0xff, ...new TextEncoder().encode('\r\n--b--\r\n')]))).status).toBe(400)
    expect(await nameNow()).toBe('Wanda Worker')
    const typed = new FormData()
    typed.append('language', 'en')
    typed.append('name', 'Wanda Łódź-Worker')
    expect((await b.current!.send('/account/profile', { method: 'POST', body: typed, headers: { Origin: origin } })).status).toBe(200)
    expect(await nameNow()).toBe('Wanda Łódź-Worker')
    expect((await post('application/x-www-form-urlencoded', 'language=en&name=Wanda+Worker+50%25')).status).toBe(200)
    expect(await nameNow()).toBe('Wanda Worker 50%')
  })

  it('runs the mail job from its Cron Trigger; without a Resend key the mail stays local, on /dev/mail', async () => {
    const res = await fire('*/2 * * * *')
    expect([res.status, await res.text()]).toEqual([200, 'Ran scheduled event'])
    const run = await db.select().from(jobRuns).where(eq(jobRuns.job, 'mail')).get()
    expect(run).toMatchObject({ job: 'mail', status: 'ok', counts: { kept: 1, sent: 0 } })
    const mail = await db.select().from(outbox).where(eq(outbox.to, email)).get()
    expect(mail).toMatchObject({ status: 'local', sentAt: expect.any(Date) })
    const devMail = await b.current!.get('/dev/mail')
    expect(devMail.status).toBe(200)
    expect(textOf(await devMail.text())).toContain(mail!.subject)
  })

  it('fails the Cron invocation when its job fails, after recording the failed run, and logs why', async () => {
    const after = await lastRunId()
    const logged = log().length
    // The job fails as a whole while its table is away (as when the database is).
    await client.execute('ALTER TABLE outbox RENAME TO outbox_away')
    try {
      const res = await fire('*/2 * * * *')
      expect(res.status).toBe(500)
      expect(await res.text()).toContain('Cron "*/2 * * * *": mail failed')
    } finally {
      await client.execute('ALTER TABLE outbox_away RENAME TO outbox')
    }
    const run = await runAfter('mail', after)
    expect(run).toMatchObject({ status: 'error', finishedAt: expect.any(Date) })
    expect(run!.error).toContain('no such table: outbox')
    // workerd reports the uncaught error, and the run's own log line says why it failed.
    const deadline = Date.now() + 5_000
    while (!log().slice(logged).includes('mail failed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(log().slice(logged)).toContain('Uncaught Error: Cron "*/2 * * * *": mail failed')
    expect(log().slice(logged)).toMatch(/type: 'job',\s+job: 'mail',\s+status: 'error'/)
    expect(log().slice(logged)).toContain('no such table: outbox')
    // Back in order, the next invocation succeeds.
    expect((await fire('*/2 * * * *')).status).toBe(200)
    expect(await runAfter('mail', after)).toMatchObject({ status: 'ok' })
  })

  it('runs, for every Cron Trigger of wrangler.toml, the job the cron table maps it to, and records the run', async () => {
    const crons = readCronExpressions()
    expect(crons.length).toBeGreaterThan(0)
    // All at once: each job has its own lease, and the runs are independent.
    const runs = await Promise.all(
      crons.map(async (cron) => {
        const job = CRON_TABLE[cron]
        expect(job, `${cron} has no job in CRON_TABLE`).toBeDefined()
        const after = await lastRunId()
        const res = await fire(cron)
        const run = await runAfter(job!, after)
        return [cron, job, res.status, run?.status, run?.error ?? null]
      }),
    )
    expect(runs).toEqual(crons.map((cron) => [cron, CRON_TABLE[cron], 200, 'ok', null]))
  })

  it('records nothing for a cron expression the table does not know, and logs why', async () => {
    const after = await lastRunId()
    const logged = log().length
    expect((await fire('0 0 1 1 *')).status).toBe(500)
    const deadline = Date.now() + 5_000
    while (!log().slice(logged).includes('No job is mapped') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(log().slice(logged)).toContain('ERROR')
    expect(log().slice(logged)).toContain('No job is mapped to the cron expression "0 0 1 1 *"')
    expect(await db.select().from(jobRuns).where(gt(jobRuns.id, after))).toEqual([])
  })
})
