// CPU per sign-in in both runtimes (npx tsx bench/signin-cpu.ts [requests] [--write]): in process on Node
// (process.cpuUsage, every thread: scrypt runs on libuv's pool), and in workerd under `wrangler dev`
// (utime + stime of its processes from /proc/<pid>/stat, the way docs/performance.md measures the
// Worker). Each sign-in is a different account so the per-address throttle never answers first.
// Prints a Markdown section; --write puts it into docs/performance.md. Linux only (/proc).
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { startDevLibsqlServer } from '../scripts/dev-libsql-server'
import { createApp } from '../src/app'
import { hashPassword, PASSWORD_COST, type PasswordCost } from '../src/auth/password'
import { generateId } from '../src/auth/tokens'
import { systemClock } from '../src/clock'
import { loadConfig } from '../src/config'
import { databaseFrom, type Db } from '../src/db/client'
import { migrateDatabase, openLocalDatabase } from '../src/db/local'
import { users } from '../src/db/schema'
import { paymentProviderFor } from '../src/payments'
import { machine } from './machine'
import { freePort } from './server'
import { PRODUCTION_ENV } from './production-env'
import { withSection } from './sections'

const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20)
const PASSWORD = 'bench sign-in password'
const CASES: { name: string; cost: PasswordCost; password: string }[] = [
  { name: 'right password (hash at N=2^16, r=8, p=2)', cost: PASSWORD_COST, password: PASSWORD },
  { name: 'wrong password (hash at N=2^16, r=8, p=2)', cost: PASSWORD_COST, password: 'not the password' },
  { name: 'wrong password (hash at N=2^17, r=8, p=1)', cost: { ln: 17, r: 8, p: 1 }, password: 'not the password' },
]

type Post = (email: string, password: string) => Promise<number>
type Row = { runtime: string; name: string; cpuMs: number; wallMs: number }

/** N accounts per case, sharing one hash per cost (hashing each would take minutes). */
async function seedUsers(db: Db): Promise<string[][]> {
  const hashes = new Map<PasswordCost, string>()
  const emails: string[][] = []
  for (const [i, c] of CASES.entries()) {
    if (!hashes.has(c.cost)) hashes.set(c.cost, await hashPassword(PASSWORD, c.cost))
    const rows = Array.from({ length: N + 1 }, (_, k) => ({ id: generateId(), email: `case${i}-${k}-${generateId().slice(0, 6)}@bench.example`, name: 'Bench', language: 'en' as const, passwordHash: hashes.get(c.cost)!, activatedAt: new Date(), createdAt: new Date() }))
    await db.insert(users).values(rows)
    emails.push(rows.map((r) => r.email))
  }
  return emails
}

async function measure(runtime: string, post: Post, cpuNow: () => number, emails: string[][]): Promise<Row[]> {
  const rows: Row[] = []
  for (const [i, c] of CASES.entries()) {
    const [warmup, ...rest] = emails[i]!
    await post(warmup!, c.password)
    const cpu0 = cpuNow()
    const t0 = performance.now()
    for (const email of rest) {
      const status = await post(email, c.password)
      const expected = c.password === PASSWORD ? 303 : 401
      if (status !== expected) throw new Error(`${runtime} ${c.name}: ${status}, expected ${expected}`)
    }
    rows.push({ runtime, name: c.name, cpuMs: (cpuNow() - cpu0) / rest.length, wallMs: (performance.now() - t0) / rest.length })
  }
  return rows
}

const form = (origin: string, email: string, password: string) => ({
  method: 'POST',
  body: new URLSearchParams({ email, password }).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
  redirect: 'manual' as const,
})

async function onNode(dir: string): Promise<Row[]> {
  const { db, client } = await openLocalDatabase(join(dir, 'node.db'))
  await migrateDatabase(db)
  const config = loadConfig({ ...PRODUCTION_ENV, BASE_URL: 'http://localhost' })
  const app = createApp({ db, clock: systemClock, config, mailer: null, payments: paymentProviderFor(config, db) })
  const emails = await seedUsers(db)
  const cpu = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const rows = await measure('Node (in process)', async (email, password) => (await app.request('http://localhost/login', form('http://localhost', email, password))).status, cpu, emails)
  client.close()
  return rows
}

/** CPU ms (utime + stime) of every workerd process under `root`, from /proc. */
function workerdCpu(root: number): number {
  const ticks = 100 // USER_HZ
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return [{ pid: Number(pid), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) * (1000 / ticks) }]
    } catch {
      return []
    }
  })
  const under = new Set([root])
  for (let grew = true; grew; ) {
    grew = false
    for (const p of procs) if (!under.has(p.pid) && under.has(p.ppid)) (under.add(p.pid), (grew = true))
  }
  return procs.filter((p) => under.has(p.pid) && p.comm.startsWith('workerd')).reduce((sum, p) => sum + p.cpu, 0)
}

async function onWorkerd(dir: string): Promise<Row[]> {
  const libsql = await startDevLibsqlServer({ path: join(dir, 'worker.db'), port: 0 })
  const client = createClient({ url: libsql.url })
  const db = databaseFrom(client)
  await migrateDatabase(db)
  const emails = await seedUsers(db)
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', join(dir, 'wrangler')]
  for (const [k, v] of Object.entries({ ...PRODUCTION_ENV, TURSO_DATABASE_URL: libsql.url, BASE_URL: origin })) args.push('--var', `${k}:${v}`)
  const wrangler = spawn(process.execPath, ['node_modules/wrangler/bin/wrangler.js', ...args], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  })
  try {
    const deadline = Date.now() + 60_000
    while (!(await fetch(`${origin}/login`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error('wrangler dev did not start')
      await new Promise((r) => setTimeout(r, 250))
    }
    return await measure('workerd (wrangler dev)', async (email, password) => (await fetch(`${origin}/login`, form(origin, email, password))).status, () => workerdCpu(wrangler.pid!), emails)
  } finally {
    process.kill(-wrangler.pid!, 'SIGTERM')
    client.close()
    await libsql.close()
  }
}

const dir = mkdtempSync(join(tmpdir(), 'kontor-signin-cpu-'))
try {
  const rows = [...(await onNode(dir)), ...(await onWorkerd(dir))]
  const m = machine()
  const section = `## Sign-in CPU (issue 14)

Written by \`npx tsx bench/signin-cpu.ts --write\` (\`bench/signin-cpu.ts\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC:
${N} sign-ins per row, each a different account, after one to warm up. ${m.cpus} cores (${m.cpuModel}), shared and busy:
load ${m.load} during the run. CPU is the process's (Node: every thread, scrypt runs on libuv's pool) or the workerd
processes' of \`wrangler dev\` (utime + stime from \`/proc/<pid>/stat\`).

${['| runtime | POST /login | CPU per request | wall per request |', '| --- | --- | ---: | ---: |', ...rows.map((r) => `| ${r.runtime} | ${r.name} | ${r.cpuMs.toFixed(0)} ms | ${r.wallMs.toFixed(0)} ms |`)].join('\n')}

- A sign-in is scrypt and little else: production's N=2^16, r=8, p=2 costs about what OWASP's other
  setting, N=2^17, r=8, p=1, costs, in half the memory (64 MiB instead of 128 MiB).
- Before issue 14 the Worker hashed with \`@noble/hashes\` in JavaScript at N=2^14: 144 ms of CPU per
  \`POST /login\` in workerd for a quarter of today's work. \`node:crypto\`'s native scrypt does four times the
  work for about twice the CPU.
- Either way a sign-in is far above the Workers Free plan's 10 ms of CPU per invocation and far below
  the Paid plan's 30 s (\`docs/operations.md\`, "Which Workers plan").
`
  console.log(section)
  if (process.argv.includes('--write')) {
    const path = join(import.meta.dirname, '../docs/performance.md')
    writeFileSync(path, withSection(readFileSync(path, 'utf8'), 'signin-cpu', section))
    console.log(`wrote ${path}`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
