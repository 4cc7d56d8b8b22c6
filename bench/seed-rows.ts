// What the bench seeding shares: the scale, the shapes it returns, batched inserts and a seeded
// random sequence (bench/seed.ts seeds the installation, bench/seed-org.ts the big org).
import type { BatchItem, Db } from '../src/db/client'
import type { ECodeStatus } from '../src/db/schema'

export type Scale = {
  users: number
  sessions: number
  outbox: number
  jobRuns: number
  usersPerOrg: number
  /** History rows of every bench org (org created, members added, …). */
  historyPerOrg: number
  /** The big org: its history rows, members, and usage events per month for 12 months. */
  bigHistory: number
  bigMembers: number
  bigUsagePerMonth: number
  bigUsageMonths: number
  /** The big org's e-codes (issue 6), across statuses over three years. */
  bigECodes: number
}

export const DEFAULT_SCALE: Scale = {
  users: 10_000,
  sessions: 20_000,
  outbox: 50_000,
  jobRuns: 21_600,
  usersPerOrg: 4,
  historyPerOrg: 8,
  bigHistory: 100_000,
  bigMembers: 5,
  bigUsagePerMonth: 3_000,
  bigUsageMonths: 12,
  bigECodes: 100_000,
}

export const BENCH_PASSWORD = 'bench-correct-horse-battery'

/** The big org the dashboard, vendor API and history scenarios use. */
export type BigOrg = {
  slug: string
  id: string
  name: string
  timeZone: string
  /** Cookie tokens of its administrator's fresh sessions. */
  adminTokens: string[]
  /** A live API key of the org (Authorization: Bearer …). */
  apiKey: string
  /** The five products it is subscribed to: key, name and quota keys in dashboard order. */
  products: { key: string; name: string; quotas: { key: string; kind: string }[] }[]
  members: number
  /** Seeded use this month of each monthly quota and in all of each total quota, by "product/quota". */
  used: Record<string, number>
  usageEvents: number
  usageThisMonth: number
  historyRows: number
  /** The quota POST /api/v1/usage reports to (monthly, with a limit far above what the bench sends). */
  usageTarget: { product: string; quota: string; limit: number }
}

/** What bench/seed-ecodes.ts seeded for the big org. */
export type SeededECodes = {
  total: number
  byStatus: Record<ECodeStatus, number>
  /** Plain codes (canonical) of active codes valid for at least another month, spread over their ages. */
  activeCodes: string[]
  /** An active code with a recipient's name on its voucher (its page also offers "Report a mistake"), and one without. */
  personalizedCode: string
  plainCode: string
  usedCodes: string[]
  /** Ids of SimplySign's variants the codes are spread over. */
  variantIds: string[]
  /** The oldest and newest creation times (ms). */
  createdFrom: number
  createdTo: number
}

export type Seeded = {
  scale: Scale & { orgs: number; consents: number; freshSessions: number; historyRows: number; usageEvents: number }
  /** Cookie tokens of sessions that are valid and need no write when used during the run. */
  freshTokens: string[]
  /** E-mail addresses of the seeded (activated) users. */
  emails: string[]
  big: BigOrg
  /** The big org's e-codes, the org that redeemed its used ones, and how long seeding them took. */
  ecodes: SeededECodes & { receiverOrg: { id: string; name: string }; seconds: number; cryptoSeconds: number }
  /** A small bench org and its administrator, for the generation of 1,000 codes (bench/ecodes.ts). */
  generator: { orgId: string; slug: string; adminId: string }
  seconds: number
}

export const HISTORY_KINDS = [
  ['member.permissions_changed', 20],
  ['org.updated', 8],
  ['api_key.created', 6],
  ['api_key.revoked', 4],
  ['member.added', 10],
  ['member.invited', 12],
  ['member.joined', 8],
  ['member.role_changed', 5],
  ['plan.activated', 2],
  ['plan.granted', 2],
] as const

/** Rows per INSERT: well under SQLite's 32,766 bound variables for the widest table (outbox, 15 columns). */
export const ROWS_PER_INSERT = 500
/** INSERT statements per atomic batch (one transaction). */
const INSERTS_PER_BATCH = 10

export function chunk<T>(rows: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

export async function insertAll(db: Db, statements: BatchItem[]) {
  for (const group of chunk(statements, INSERTS_PER_BATCH)) {
    await db.batch(group as [BatchItem, ...BatchItem[]])
  }
}

/** A deterministic pseudo-random sequence, so two runs seed the same shapes. */
export function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
