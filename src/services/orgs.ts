// Organization verbs (SPEC §2): create (the creator becomes its administrator), list a user's orgs,
// resolve an org for a member, edit company data. Each change writes its history row in the same batch.
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Deps } from '../deps'
import { uniqueViolation } from '../db/errors'
import { memberships, orgs } from '../db/schema'
import { recordHistory, userActor } from '../db/history'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { COUNTRY_TIME_ZONES, slugify, type Country } from '../domain/orgs'
import type { OrgInput } from '../forms/org'

export type Org = typeof orgs.$inferSelect
export type Role = (typeof memberships.$inferSelect)['role']

export type OrgResult = { ok: true; org: Org } | { ok: false; error: 'tax_id_taken' }

function orgValues(input: OrgInput) {
  return {
    name: input.name,
    country: input.country,
    legalForm: input.legalForm,
    taxId: input.taxId,
    addressLine: input.addressLine,
    postalCode: input.postalCode,
    city: input.city,
    billingEmail: input.billingEmail,
    einvoiceId: input.einvoiceId,
    // Only when the form had the field (an Italian person buying from an Italian seller): otherwise the org's stays.
    ...(input.codiceFiscale !== undefined ? { codiceFiscale: input.codiceFiscale } : {}),
    timeZone: COUNTRY_TIME_ZONES[input.country as Country],
  }
}

export async function createOrg(deps: Deps, user: User, input: OrgInput, now: Date): Promise<OrgResult> {
  const { db } = deps
  if (input.taxId && (await findLiveOrgByTaxId(deps, input.taxId))) return { ok: false, error: 'tax_id_taken' }
  const org: Org = { id: generateId(), slug: await freeSlug(deps, slugify(input.name)), codiceFiscale: null, ...orgValues(input), lastLoginAt: now, createdAt: now, deletedAt: null }
  try {
    await db.batch([
      db.insert(orgs).values(org),
      db.insert(memberships).values({ orgId: org.id, userId: user.id, role: 'admin', createdAt: now }),
      recordHistory(db, { orgId: org.id, actor: userActor(user), kind: 'org.created', subject: { type: 'org', id: org.id }, details: { name: org.name, taxId: org.taxId }, at: now }),
    ])
  } catch (e) {
    // Two people registering the same company at once: the partial unique index decides.
    if (uniqueViolation(e) === 'orgs.tax_id') {
      return { ok: false, error: 'tax_id_taken' }
    }
    throw e
  }
  return { ok: true, org }
}

export function findLiveOrgByTaxId(deps: Deps, taxId: string) {
  return deps.db.select().from(orgs).where(and(eq(orgs.taxId, taxId), isNull(orgs.deletedAt))).get()
}

async function freeSlug(deps: Deps, base: string): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const slug = i === 0 ? base : `${base}-${generateId().slice(0, 4)}`
    if (!(await deps.db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, slug)).get())) return slug
  }
  return `${base}-${generateId()}`
}

/** The live orgs a user belongs to, with the role, for the switcher. */
export function listUserOrgs(deps: Deps, userId: string) {
  return deps.db
    .select({ id: orgs.id, slug: orgs.slug, name: orgs.name, role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), isNull(orgs.deletedAt)))
    .orderBy(asc(orgs.name))
}

/** An org by slug as seen by one user: undefined unless the user is a member (another org looks missing). */
export async function findMembership(deps: Deps, userId: string, slug: string) {
  return deps.db
    .select({ org: orgs, role: memberships.role })
    .from(orgs)
    .innerJoin(memberships, and(eq(memberships.orgId, orgs.id), eq(memberships.userId, userId)))
    .where(and(eq(orgs.slug, slug), isNull(orgs.deletedAt)))
    .get()
}

export async function updateOrg(deps: Deps, org: Org, user: User, input: OrgInput, now: Date): Promise<OrgResult> {
  const { db } = deps
  if (input.taxId && input.taxId !== org.taxId) {
    const other = await findLiveOrgByTaxId(deps, input.taxId)
    if (other && other.id !== org.id) return { ok: false, error: 'tax_id_taken' }
  }
  const values = orgValues(input)
  const changed = Object.fromEntries(
    Object.entries(values).filter(([k, v]) => org[k as keyof typeof values] !== v).map(([k, v]) => [k, { from: org[k as keyof typeof values], to: v }]),
  )
  if (Object.keys(changed).length === 0) return { ok: true, org }
  await db.batch([
    db.update(orgs).set(values).where(eq(orgs.id, org.id)),
    recordHistory(db, { orgId: org.id, actor: userActor(user), kind: 'org.updated', subject: { type: 'org', id: org.id }, details: changed, at: now }),
  ])
  return { ok: true, org: { ...org, ...values } }
}
