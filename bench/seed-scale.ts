// The orgs of the e-code list at scale (issue 17): one org per scale (10,000, 100,000, 1,000,000 …
// codes) in one database, each with as many history rows, so the list's and the history's pages
// can be timed side by side as an org grows. Rows are made and inserted a slice at a time (memory
// stays flat however many there are) through the app's own migrations, triggers included. Codes are
// stored as the app stores them — the HMAC look-up hash and the AES-256-GCM envelope, under the
// bench's keys — but computed with node:crypto's synchronous calls (the same algorithms, checked
// against the app's own functions below), random bytes drawn from a pool, and the expiry computed
// once per hour of creation: on this machine the app's one-at-a-time calls (WebCrypto, a
// getRandomValues per id, Intl per date) cost ~130 µs a code, two minutes for a million.
import { createCipheriv, createHmac, randomBytes } from 'node:crypto'
import { encodeBase32LowerCaseNoPadding, encodeBase64urlNoPadding } from '@oslojs/encoding'
import type { Client, InArgs } from '@libsql/client'
import { DAY, HOUR, MINUTE } from '../src/clock'
import type { Db } from '../src/db/client'
import { consents, memberPermissions, memberships, orgs, sessions, users, type ECodeStatus } from '../src/db/schema'
import { loadCatalog } from '../src/db/catalog'
import { decryptECode, ecodeLookupHash, parseECodeKey } from '../src/auth/ecode-crypto'
import { SEALED_VERSION } from '../src/auth/aes-gcm'
import { REMEMBER_FOR } from '../src/auth/session'
import { generateId, generateToken, hashToken } from '../src/auth/tokens'
import { ecodeExpiresAt, generateECode } from '../src/domain/ecode'
import { HISTORY_KINDS, random } from './seed-rows'

/** Rows made, then inserted, at a time: what the seeding holds in memory. */
const SLICE = 10_000
/** No code expires within this long after the seeding's `now`. */
const QUIET = 3 * HOUR
/** How far back the codes and the history go. */
const SPAN = 3 * 365 * DAY

export type ScaleOrg = {
  scale: number
  slug: string
  id: string
  timeZone: string
  /** Cookie tokens of the administrator's sessions, and of a member's who may manage SimplySign. */
  adminTokens: string[]
  memberTokens: string[]
  byStatus: Record<ECodeStatus, number>
  /** Active codes past their validity that the daily purge has not marked yet (counted under `byStatus.active`). */
  lapsed: number
  /** An active code (canonical) to search for. */
  searchCode: string
  variantIds: string[]
  historyRows: number
  /** The history's people (user ids), for the person filter. */
  actorIds: string[]
}

/** HMAC-SHA-256 and the AES-GCM envelope of src/auth/ecode-crypto.ts, synchronously. */
function sealer(secrets: { lookupKey: string; encryptionKey: string }) {
  const key = (text: string) => {
    const parsed = parseECodeKey(text)
    if (!parsed.ok) throw new Error(`bench e-code key ${parsed.error}`)
    return Buffer.from(parsed.value)
  }
  const lookupKey = key(secrets.lookupKey)
  const encryptionKey = key(secrets.encryptionKey)
  return (code: string) => {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv)
    const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final(), cipher.getAuthTag()])
    return {
      lookupHash: createHmac('sha256', lookupKey).update(code, 'utf8').digest('hex'),
      sealed: SEALED_VERSION + encodeBase64urlNoPadding(Buffer.concat([iv, body])),
    }
  }
}

/** Random bytes from a refilled pool: one system call per 64 KiB instead of one per value. */
function randomPool() {
  let pool = randomBytes(65_536)
  let at = 0
  return (n: number): Uint8Array => {
    if (at + n > pool.length) {
      pool = randomBytes(65_536)
      at = 0
    }
    at += n
    return pool.subarray(at - n, at)
  }
}

/**
 * ecodeExpiresAt for the start of the code's UTC hour, plus the time into it: the same instant
 * (zone offsets change on the hour) except inside an hour a DST change skips, which no bench
 * assertion depends on.
 */
function expiryByHour(timeZone: string) {
  const memo = new Map<string, number>()
  return (created: number, months: number) => {
    const hour = created - (created % HOUR)
    const key = `${hour}/${months}`
    let at = memo.get(key)
    if (at === undefined) memo.set(key, (at = ecodeExpiresAt(new Date(hour), months, timeZone).getTime()))
    return at + (created - hour)
  }
}

/**
 * `rows` (arrays of values in `columns` order) in one INSERT … SELECT from a JSON array: one statement
 * and one argument per slice. Multi-row INSERTs of bound values (400 rows a statement) made the
 * libSQL client's native memory grow by ~500 bytes a row, never given back (3.3 GB at a million
 * codes and as many history rows); this way it stays within a few hundred MiB.
 */
async function insertRows(client: Client, table: string, columns: string[], rows: InArgs[]) {
  const values = columns.map((_, i) => `value ->> ${i}`).join(', ')
  await client.execute({ sql: `insert into ${table} (${columns.join(', ')}) select ${values} from json_each(?)`, args: [JSON.stringify(rows)] })
}

const ECODE_COLUMNS = ['id', 'org_id', 'product_id', 'variant_id', 'lookup_hash', 'sealed', 'status', 'created_at', 'expires_at', 'used_at', 'used_by_org_id', 'disposed_at', 'recipient_name']
const HISTORY_COLUMNS = ['org_id', 'at', 'actor_type', 'actor_id', 'actor_label', 'kind', 'subject_type', 'subject_id', 'details']

/** "10k", "1M": how a scale is named in slugs and tables. */
export function scaleName(n: number): string {
  return n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n)
}

/**
 * One org of `scale` codes and as many history rows. The codes are spread over three years, newest
 * last, across SimplySign's two variants; their fate depends on their age as an issuer's do (mostly
 * used, a share still active, a few expired or disposed), and the active ones that lapsed within the
 * last day are still `active`, as the daily purge would have left them.
 */
export async function seedScaleOrg(
  db: Db,
  client: Client,
  o: { scale: number; now: number; receiverOrgId: string; passwordHash: string; secrets: { lookupKey: string; encryptionKey: string }; termsVersion: string; privacyVersion: string },
): Promise<ScaleOrg> {
  const { scale, now } = o
  const rnd = random(scale)
  const product = (await loadCatalog(db)).find((p) => p.key === 'simplysign')!
  const timeZone = 'Europe/Warsaw'
  const id = generateId()
  const slug = `bench-scale-${scaleName(scale).toLowerCase()}`
  const createdAt = new Date(now - SPAN - 30 * DAY)
  const person = (role: string) => ({
    id: generateId(),
    email: `${slug}-${role}@example.com`,
    name: `Scale ${scaleName(scale)} ${role}`,
    language: 'en' as const,
    passwordHash: o.passwordHash,
    activatedAt: createdAt,
    isOperator: false,
    createdAt,
  })
  const admin = person('admin')
  const member = person('member')
  const adminTokens = Array.from({ length: 4 }, () => generateToken())
  const memberTokens = Array.from({ length: 2 }, () => generateToken())
  const session = (userId: string) => (token: string) => ({
    id: hashToken(token),
    userId,
    remember: true,
    twoFactorVerified: false,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) bench',
    createdAt: new Date(now - HOUR),
    lastSeenAt: new Date(now - MINUTE),
    expiresAt: new Date(now - HOUR + REMEMBER_FOR),
  })
  await db.batch([
    db.insert(orgs).values({
      id,
      slug,
      name: `Scale ${scaleName(scale)} sp. z o.o.`,
      country: 'PL',
      legalForm: 'company',
      taxId: null,
      addressLine: 'ul. Długa 1',
      postalCode: '00-001',
      city: 'Warszawa',
      billingEmail: admin.email,
      einvoiceId: null,
      timeZone,
      createdAt,
    }),
    db.insert(users).values([admin, member]),
    db.insert(consents).values(
      [admin, member].flatMap((u) => [
        { userId: u.id, kind: 'terms' as const, version: o.termsVersion, acceptedAt: createdAt },
        { userId: u.id, kind: 'privacy' as const, version: o.privacyVersion, acceptedAt: createdAt },
      ]),
    ),
    db.insert(memberships).values([
      { orgId: id, userId: admin.id, role: 'admin', createdAt },
      { orgId: id, userId: member.id, role: 'member', createdAt },
    ]),
    db.insert(memberPermissions).values({ orgId: id, userId: member.id, productId: product.id }),
    db.insert(sessions).values([...adminTokens.map(session(admin.id)), ...memberTokens.map(session(member.id))]),
  ])

  // The codes, a slice at a time.
  const seal = sealer(o.secrets)
  const bytes = randomPool()
  const expiry = expiryByHour(timeZone)
  const newId = () => encodeBase32LowerCaseNoPadding(bytes(12))
  const byStatus: Record<ECodeStatus, number> = { active: 0, used: 0, expired: 0, disposed: 0 }
  let lapsed = 0
  let searchCode: string | null = null
  for (let start = 0; start < scale; start += SLICE) {
    const rows: InArgs[] = []
    for (let i = start; i < Math.min(scale, start + SLICE); i++) {
      const variant = product.variants[i % product.variants.length]!
      let created = now - Math.floor((1 - i / scale) * SPAN) - Math.floor(rnd() * DAY)
      let expires = expiry(created, variant.ecodeValidityMonths)
      // None expires in the hours the bench runs after seeding (a million codes: ~20 minutes), so the
      // tab counts the pages must show stay those computed here: such a code is made earlier, lapsed.
      if (expires > now && expires <= now + QUIET) expires = expiry((created -= QUIET), variant.ecodeValidityMonths)
      const roll = rnd()
      let status: ECodeStatus
      // Disposed codes over the whole span, as codes are disposed of before they expire.
      if (expires > now) status = roll < 0.55 ? 'used' : roll < 0.95 ? 'active' : 'disposed'
      else if (roll < 0.75) status = 'used'
      else if (roll < 0.82) status = 'disposed'
      else status = expires > now - DAY ? 'active' : 'expired'
      byStatus[status]++
      if (status === 'active' && expires <= now) lapsed++
      const code = generateECode((b) => (b.set(bytes(b.length)), b))
      if (status === 'active' && expires > now + 31 * DAY && i > scale / 2) searchCode ??= code
      const { lookupHash, sealed } = seal(code)
      const usedAt = status === 'used' ? Math.min(now, created + Math.floor(rnd() * 90 * DAY)) : null
      rows.push([
        newId(),
        id,
        product.id,
        variant.id,
        lookupHash,
        sealed,
        status,
        created,
        expires,
        usedAt,
        usedAt === null ? null : o.receiverOrgId,
        status === 'disposed' ? created + DAY : null,
        i % 10 === 0 ? 'Łucja Żółkiewska' : null,
      ])
    }
    await insertRows(client, 'ecodes', ECODE_COLUMNS, rows)
  }
  if (!searchCode) throw new Error(`no active code to search for among ${scale} seeded`)

  // The history: as many rows over the same three years, oldest first (ids grow with time), by the
  // org's two people, five who have left, and now and then the system.
  const actors = [admin, member, ...Array.from({ length: 5 }, (_, i) => ({ id: newId(), name: `Former ${i}`, email: `${slug}-former-${i}@example.com` }))]
  const weights = HISTORY_KINDS.reduce((n, [, w]) => n + w, 0)
  const pickKind = () => {
    let r = rnd() * weights
    for (const [kind, w] of HISTORY_KINDS) if ((r -= w) < 0) return kind
    return HISTORY_KINDS[0][0]
  }
  for (let start = 0; start < scale; start += SLICE) {
    const rows: InArgs[] = []
    for (let i = start; i < Math.min(scale, start + SLICE); i++) {
      const at = now - Math.floor((1 - i / scale) * SPAN) - Math.floor(rnd() * HOUR)
      const who = rnd() < 0.05 ? null : actors[Math.floor(rnd() * actors.length)]!
      rows.push([id, at, who ? 'user' : 'system', who?.id ?? null, who ? `${who.name} <${who.email}>` : 'purges', pickKind(), 'user', member.id, JSON.stringify({ email: member.email })])
    }
    await insertRows(client, 'history', HISTORY_COLUMNS, rows)
  }

  // The synchronous crypto must be the app's: its hash finds the code, its envelope opens.
  const { lookupHash, sealed } = seal(searchCode)
  if (lookupHash !== (await ecodeLookupHash(o.secrets.lookupKey, searchCode))) throw new Error('the bench look-up hash differs from the app’s')
  if ((await decryptECode(o.secrets.encryptionKey, sealed)) !== searchCode) throw new Error('the app cannot open the bench’s sealed code')

  return {
    scale,
    slug,
    id,
    timeZone,
    adminTokens,
    memberTokens,
    byStatus,
    lapsed,
    searchCode,
    variantIds: product.variants.map((v) => v.id),
    historyRows: scale,
    actorIds: actors.map((a) => a.id),
  }
}
