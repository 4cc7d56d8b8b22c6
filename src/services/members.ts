// Members and roles (SPEC §2): add by e-mail, invite, change role, remove, leave. The last
// administrator can neither leave, be removed nor be demoted — enforced inside the one statement
// that makes the change, so two admins demoting each other at once can't both succeed.
import { and, asc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm'
import type { Deps } from '../deps'
import { readTogether } from '../db/client'
import { guard, writePlanned } from '../db/guard'
import { invitations, memberPermissions, memberships, orgs, products, subscriptions, users, variants, warehouseStock } from '../db/schema'
import { recordHistory, recordHistoryIfChanged, userActor, type Actor } from '../db/history'
import { hitAll, RULES, type ThrottleRule } from '../db/throttle'
import { generateId } from '../auth/tokens'
import type { User } from '../auth/session'
import { DAY } from '../clock'
import { enqueueMail, enqueueMailIfChanged, sealMail } from '../mail/outbox'
import { fullSeats, hasSeatFor, type SeatLimit } from './seats'
import { invitationMail, memberAddedMail } from '../mail/templates/members'
import type { Org, Role } from './orgs'

export const INVITATION_VALID_FOR = 14 * DAY

export function listMembers(deps: Deps, orgId: string) {
  return deps.db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(users.name))
}

export function listPendingInvitations(deps: Deps, orgId: string, now: Date) {
  return deps.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
    .orderBy(asc(invitations.email))
}

export type AddResult =
  | { ok: true; name: string }
  | { ok: false; error: 'no_account' | 'already_member' }
  | { ok: false; error: 'seats_full'; seats: SeatLimit }
  | { ok: false; error: 'throttled'; retryAfterSeconds: number }

/** The limits on adding people, per administrator and per org: every attempt counts, by e-mail or invitation. */
const addingPeople = (org: Org, by: User): [ThrottleRule, string][] => [
  [RULES.memberAddByUser, by.id],
  [RULES.memberAddByOrg, org.id],
]

export async function addMember(deps: Deps, org: Org, by: User, email: string, now: Date): Promise<AddResult> {
  const { db, config } = deps
  // Counted before anything is read: the answer tells whether the address has an account.
  const limits = await hitAll(db, addingPeople(org, by), now)
  if (!limits.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: limits.retryAfterSeconds }
  const user = await db.select().from(users).where(eq(users.email, email)).get()
  if (!user || !user.activatedAt) return { ok: false, error: 'no_account' }
  if (await db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id))).get()) {
    return { ok: false, error: 'already_member' }
  }
  // The seat check and the insert are one statement (src/services/seats.ts); the history row and
  // the mail follow only if the member was added.
  const [inserted] = await db.batch([
    db.run(sql`insert into ${memberships} (org_id, user_id, role, created_at)
      select ${org.id}, ${user.id}, 'member', ${now.getTime()}
      where ${hasSeatFor(org.id)}
      on conflict do nothing`),
    recordHistoryIfChanged(db, { orgId: org.id, actor: userActor(by), kind: 'member.added', subject: { type: 'user', id: user.id }, details: { email: user.email, role: 'member' }, at: now }),
    enqueueMailIfChanged(db, {
      to: user.email,
      language: user.language,
      template: 'member.added',
      mail: memberAddedMail({ lang: user.language, vendor: config.vendorName }, { org: org.name, by: by.name, url: `${config.baseUrl}/o/${org.slug}` }),
      now,
    }),
  ])
  if (inserted.rowsAffected === 1) return { ok: true, name: user.name }
  const seats = await fullSeats(deps, org.id)
  if (seats) return { ok: false, error: 'seats_full', seats }
  return { ok: false, error: 'already_member' }
}

export type InviteResult = { ok: true } | { ok: false; error: 'throttled'; retryAfterSeconds: number } | { ok: false; error: 'seats_full'; seats: SeatLimit }

/**
 * Invites an address without an account. An org with every seat taken is refused at once, as adding
 * is: the invitee could not join (they are checked again when they accept, src/services/seats.ts).
 */
export async function inviteMember(deps: Deps, org: Org, by: User, email: string, now: Date): Promise<InviteResult> {
  const { db, config } = deps
  const throttle = await hitAll(db, [[RULES.emailLink, `invite:${email}`], ...addingPeople(org, by)], now)
  if (!throttle.allowed) return { ok: false, error: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds }
  const seats = await fullSeats(deps, org.id)
  if (seats) return { ok: false, error: 'seats_full', seats }
  const expiresAt = new Date(now.getTime() + INVITATION_VALID_FOR)
  await db.batch([
    db
      .insert(invitations)
      .values({ id: generateId(), orgId: org.id, email, invitedBy: by.id, createdAt: now, expiresAt })
      .onConflictDoUpdate({ target: [invitations.orgId, invitations.email], set: { expiresAt, invitedBy: by.id, acceptedAt: null } }),
    recordHistory(db, { orgId: org.id, actor: userActor(by), kind: 'member.invited', details: { email }, at: now }),
    enqueueMail(
      db,
      await sealMail(config.ecodeSecrets.encryptionKey, {
        to: email,
        language: by.language,
        template: 'member.invitation',
        mail: invitationMail(
          { lang: by.language, vendor: config.vendorName },
          { org: org.name, by: by.name, url: `${config.baseUrl}/register?email=${encodeURIComponent(email)}` },
        ),
        now,
      }),
    ),
  ])
  return { ok: true }
}

/** An invitation its org had no seat for: it stays open, and the invitee is told why. */
export type WaitingInvitation = { org: string; timeZone: string; expiresAt: Date; seats: SeatLimit }

/**
 * Joins the orgs that invited this user's address (at sign-in, once the address is proven). Each
 * membership is inserted only if the org has a seat for it (one statement); the invitation is
 * marked accepted once the user is a member, so one that found no seat stays open until it expires
 * and is tried again at the next sign-in.
 */
export async function acceptInvitations(deps: Deps, user: User, now: Date): Promise<{ joined: number; waiting: WaitingInvitation[] }> {
  const { db } = deps
  const pending = await db
    .select({ invitation: invitations, org: orgs.name, timeZone: orgs.timeZone })
    .from(invitations)
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .where(and(eq(invitations.email, user.email), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now), isNull(orgs.deletedAt)))
  let joined = 0
  const waiting: WaitingInvitation[] = []
  for (const { invitation: inv, org, timeZone } of pending) {
    const [added] = await db.batch([
      // Idempotent: a second sign-in racing this one finds the membership already there.
      db.run(sql`insert into ${memberships} (org_id, user_id, role, created_at)
        select ${inv.orgId}, ${user.id}, 'member', ${now.getTime()}
        where ${hasSeatFor(inv.orgId)}
        on conflict do nothing`),
      recordHistoryIfChanged(db, { orgId: inv.orgId, actor: userActor(user), kind: 'member.joined', subject: { type: 'user', id: user.id }, details: { email: user.email, via: 'invitation' }, at: now }),
      db
        .update(invitations)
        .set({ acceptedAt: now })
        .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt), sql`exists (select 1 from ${memberships} where org_id = ${inv.orgId} and user_id = ${user.id})`)),
    ])
    if (added.rowsAffected === 1) {
      joined++
      continue
    }
    const seats = await fullSeats(deps, inv.orgId)
    if (seats && !(await isMember(deps, inv.orgId, user.id))) waiting.push({ org, timeZone, expiresAt: inv.expiresAt, seats })
  }
  return { joined, waiting }
}

const isMember = async (deps: Deps, orgId: string, userId: string) =>
  (await deps.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))).get()) !== undefined

/** SQL: the org keeps another administrator besides this user. */
const anotherAdmin = (orgId: string, userId: string) =>
  sql`exists (select 1 from ${memberships} m where m.org_id = ${orgId} and m.role = 'admin' and m.user_id <> ${userId})`

export type ChangeResult = { ok: true } | { ok: false; error: 'not_found' | 'last_admin' }

export async function changeRole(deps: Deps, org: Org, actor: Actor, userId: string, role: Role, now: Date): Promise<ChangeResult> {
  const { db } = deps
  const current = await db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId))).get()
  if (!current) return { ok: false, error: 'not_found' }
  if (current.role === role) return { ok: true }
  const guard = role === 'member' ? anotherAdmin(org.id, userId) : sql`1`
  const [updated] = await db.batch([
    db
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId), ne(memberships.role, role), guard))
      .returning(),
    recordHistoryIfChanged(db, { orgId: org.id, actor, kind: 'member.role_changed', subject: { type: 'user', id: userId }, details: { from: current.role, to: role }, at: now }),
  ])
  return updated.length === 1 ? { ok: true } : { ok: false, error: 'last_admin' }
}

export async function removeMember(deps: Deps, org: Org, actor: Actor, userId: string, now: Date): Promise<ChangeResult> {
  const { db } = deps
  const current = await db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId))).get()
  if (!current) return { ok: false, error: 'not_found' }
  const [removed] = await db.batch([
    db
      .delete(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId), sql`(${memberships.role} <> 'admin' or ${anotherAdmin(org.id, userId)})`))
      .returning(),
    recordHistoryIfChanged(db, {
      orgId: org.id,
      actor,
      kind: actor.id === userId ? 'member.left' : 'member.removed',
      subject: { type: 'user', id: userId },
      details: { role: current.role },
      at: now,
    }),
  ])
  return removed.length === 1 ? { ok: true } : { ok: false, error: 'last_admin' }
}

/** An org where this user is the only administrator and others are members (blocks closing the account). */
export function orgLeftWithoutAdmin(deps: Deps, userId: string) {
  return deps.db
    .select({ name: orgs.name })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.role, 'admin'),
        isNull(orgs.deletedAt),
        sql`not exists (select 1 from ${memberships} m where m.org_id = ${memberships.orgId} and m.role = 'admin' and m.user_id <> ${userId})`,
        sql`exists (select 1 from ${memberships} o where o.org_id = ${memberships.orgId} and o.user_id <> ${userId})`,
      ),
    )
    .get()
}

/** The org's member permissions (a query for the caller's batch); `permissionMap` groups them. */
function permissionsQuery(deps: Deps, orgId: string) {
  return deps.db.select().from(memberPermissions).where(eq(memberPermissions.orgId, orgId))
}

/** The products each member of an org may use and manage (admins may use everything), by user id. */
function permissionMap(rows: { userId: string; productId: string }[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>()
  for (const r of rows) map.set(r.userId, (map.get(r.userId) ?? new Set()).add(r.productId))
  return map
}

export type PermissionsResult = { ok: true } | { ok: false; error: 'not_found' | 'admin' | 'unknown_product' }

/**
 * Replaces a member's product permissions with the given products of the org's live subscriptions.
 * The history names the products given and taken away (issue 16), so the batch is guarded on the
 * permissions read: a change made meanwhile makes it plan again from a fresh read.
 */
export async function setPermissions(deps: Deps, org: Org, actor: Actor, userId: string, productKeys: string[], now: Date): Promise<PermissionsResult> {
  const { db } = deps
  const mine = and(eq(memberPermissions.orgId, org.id), eq(memberPermissions.userId, userId))
  return writePlanned<PermissionsResult>(db, async () => {
    const read = await readTogether(db, {
      member: db.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId))),
      owned: permissionProductsQuery(deps, org.id),
      held: db.select({ id: products.id, name: products.name }).from(memberPermissions).innerJoin(products, eq(products.id, memberPermissions.productId)).where(mine),
    })
    const [member] = read.member
    if (!member) return { done: { ok: false, error: 'not_found' } }
    if (member.role === 'admin') return { done: { ok: false, error: 'admin' } }
    const owned = byName(read.owned)
    const chosen = [...new Set(productKeys)]
    if (chosen.some((k) => !owned.some((o) => o.key === k))) return { done: { ok: false, error: 'unknown_product' } }
    const granted = owned.filter((o) => chosen.includes(o.key))
    const held = byName(read.held)
    const heldIds = held.map((h) => h.id).sort()
    const details = {
      products: chosen.sort(),
      given: granted.filter((g) => !heldIds.includes(g.id)).map((g) => g.name),
      taken: held.filter((h) => !granted.some((g) => g.id === h.id)).map((h) => h.name),
    }
    const batch = [
      guard(db, sql`(select json_group_array(product_id) from (select ${memberPermissions.productId} as product_id from ${memberPermissions} where ${mine} order by 1)) = ${JSON.stringify(heldIds)}`),
      db.delete(memberPermissions).where(mine),
      ...granted.map((p) => db.insert(memberPermissions).values({ orgId: org.id, userId, productId: p.id })),
      recordHistory(db, { orgId: org.id, actor, kind: 'member.permissions_changed', subject: { type: 'user', id: userId }, details, at: now }),
    ]
    return { batch, after: () => ({ ok: true }) }
  })
}

/**
 * The products a member can be given permission on: those the org subscribes to, and virtual
 * products whose units it holds or has held in its warehouse (SPEC §2, §9). One statement, for the
 * caller's batch; `byName` orders its rows as people read them.
 */
export function permissionProductsQuery(deps: Deps, orgId: string) {
  const { db } = deps
  const subscribed = db.select({ id: subscriptions.productId }).from(subscriptions).where(and(eq(subscriptions.orgId, orgId), ne(subscriptions.status, 'ended')))
  const stocked = db.select({ id: variants.productId }).from(warehouseStock).innerJoin(variants, eq(variants.id, warehouseStock.variantId)).where(eq(warehouseStock.orgId, orgId))
  return db
    .select({ id: products.id, key: products.key, name: products.name })
    .from(products)
    .where(or(inArray(products.id, subscribed), inArray(products.id, stocked)))
}

const byName = <T extends { name: string }>(rows: T[]): T[] => [...rows].sort((a, b) => a.name.localeCompare(b.name))

/** Settings → Users: the members, open invitations, permissions and the products they can be on, in one batch. */
export async function readMembersPage(deps: Deps, orgId: string, now: Date) {
  const read = await readTogether(deps.db, {
    members: listMembers(deps, orgId),
    invited: listPendingInvitations(deps, orgId, now),
    permissions: permissionsQuery(deps, orgId),
    products: permissionProductsQuery(deps, orgId),
  })
  return { members: read.members, invited: read.invited, permissions: permissionMap(read.permissions), products: byName(read.products) }
}
